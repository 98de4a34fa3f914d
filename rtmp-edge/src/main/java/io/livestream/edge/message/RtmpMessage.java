package io.livestream.edge.message;

import java.util.List;

/** One RTMP message, one small type per message type id; {@link RtmpMessages} maps them to and from raw messages. */
public sealed interface RtmpMessage {
    int SET_CHUNK_SIZE = 1;
    int ABORT = 2;
    int ACKNOWLEDGEMENT = 3;
    int USER_CONTROL = 4;
    int WINDOW_ACK_SIZE = 5;
    int SET_PEER_BANDWIDTH = 6;
    int AUDIO = 8;
    int VIDEO = 9;
    int DATA_AMF3 = 15;
    int COMMAND_AMF3 = 17;
    int DATA_AMF0 = 18;
    int COMMAND_AMF0 = 20;
    int AGGREGATE = 22;

    /** @param size the raw 32-bit value: a set top bit makes it invalid, which the chunk layer refuses */
    record SetChunkSize(long size) implements RtmpMessage {}

    record Abort(int chunkStreamId) implements RtmpMessage {}

    record Acknowledgement(long sequenceNumber) implements RtmpMessage {}

    record WindowAckSize(long size) implements RtmpMessage {}

    /** @param limitType 0 hard, 1 soft, 2 dynamic */
    record SetPeerBandwidth(long size, int limitType) implements RtmpMessage {}

    /** @param extra the second value of Set Buffer Length (buffer ms), 0 for the other events */
    record UserControl(int event, long value, long extra) implements RtmpMessage {
        public static final int STREAM_BEGIN = 0;
        public static final int STREAM_EOF = 1;
        public static final int STREAM_DRY = 2;
        public static final int SET_BUFFER_LENGTH = 3;
        public static final int STREAM_IS_RECORDED = 4;
        public static final int PING_REQUEST = 6;
        public static final int PING_RESPONSE = 7;

        public static UserControl streamBegin(int messageStreamId) {
            return new UserControl(STREAM_BEGIN, messageStreamId, 0);
        }

        public static UserControl pingResponse(long timestamp) {
            return new UserControl(PING_RESPONSE, timestamp, 0);
        }
    }

    /** A command (AMF0, or AMF3-flagged with AMF0 content as real clients send): name, transaction id, then arguments. */
    record Command(int messageStreamId, String name, double transactionId, List<Object> arguments) implements RtmpMessage {
        /** The argument at {@code index} if it is a string, else null. */
        public String stringArgument(int index) {
            return index < arguments.size() && arguments.get(index) instanceof String s ? s : null;
        }
    }

    /** A data message (e.g. @setDataFrame onMetaData); {@code body} is the AMF0 as received. */
    record Data(int messageStreamId, long timestamp, List<Object> values, byte[] body) implements RtmpMessage {}

    /** An FLV audio tag body. */
    record Audio(int messageStreamId, long timestamp, byte[] body) implements RtmpMessage {}

    /** An FLV video tag body. */
    record Video(int messageStreamId, long timestamp, byte[] body) implements RtmpMessage {}

    /** A type this edge has no use for (shared objects...): ignored, not an error. */
    record Unknown(int typeId) implements RtmpMessage {}
}
