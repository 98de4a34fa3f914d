package io.livestream.edge.message;

import io.livestream.edge.RtmpProtocolException;
import io.livestream.edge.amf0.Amf0;
import io.livestream.edge.amf0.Amf0Reader;
import io.livestream.edge.amf0.Amf0Writer;
import io.livestream.edge.chunk.RawMessage;
import io.livestream.edge.message.RtmpMessage.*;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The factory keyed on message type id: raw message to typed message(s) and back. */
public final class RtmpMessages {
    /** Chunk streams this side sends on: protocol control must use 2; the rest follow common practice. */
    public static final int CS_CONTROL = 2;
    public static final int CS_COMMAND = 3;
    public static final int CS_AUDIO = 4;
    public static final int CS_DATA = 5;
    public static final int CS_VIDEO = 6;

    /** Decodes one raw message; an Aggregate yields its sub-messages, everything else exactly one message. */
    public static List<RtmpMessage> decode(RawMessage raw) {
        byte[] p = raw.payload();
        return switch (raw.typeId()) {
            case RtmpMessage.SET_CHUNK_SIZE -> List.of(new SetChunkSize(u32(p, 0)));
            case RtmpMessage.ABORT -> List.of(new Abort((int) u32(p, 0)));
            case RtmpMessage.ACKNOWLEDGEMENT -> List.of(new Acknowledgement(u32(p, 0)));
            case RtmpMessage.WINDOW_ACK_SIZE -> List.of(new WindowAckSize(u32(p, 0)));
            case RtmpMessage.SET_PEER_BANDWIDTH -> {
                need(p, 5);
                yield List.of(new SetPeerBandwidth(u32(p, 0), p[4] & 0xFF));
            }
            case RtmpMessage.USER_CONTROL -> {
                need(p, 6);
                int event = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
                yield List.of(new UserControl(event, u32(p, 2), p.length >= 10 ? u32(p, 6) : 0));
            }
            case RtmpMessage.COMMAND_AMF0 -> List.of(command(raw.messageStreamId(), p, 0));
            case RtmpMessage.COMMAND_AMF3 -> List.of(command(raw.messageStreamId(), p, 1)); // leading format byte, then AMF0
            case RtmpMessage.DATA_AMF0 -> List.of(data(raw.messageStreamId(), raw.timestamp(), p, 0));
            case RtmpMessage.DATA_AMF3 -> List.of(data(raw.messageStreamId(), raw.timestamp(), p, 1));
            case RtmpMessage.AUDIO -> List.of(new Audio(raw.messageStreamId(), raw.timestamp(), p));
            case RtmpMessage.VIDEO -> List.of(new Video(raw.messageStreamId(), raw.timestamp(), p));
            case RtmpMessage.AGGREGATE -> aggregate(raw);
            default -> List.of(new Unknown(raw.typeId()));
        };
    }

    /** Encodes a message on the chunk stream this side uses for its kind. */
    public static RawMessage encode(RtmpMessage m) {
        if (m instanceof SetChunkSize s) return control(RtmpMessage.SET_CHUNK_SIZE, be32(s.size()));
        if (m instanceof Abort a) return control(RtmpMessage.ABORT, be32(a.chunkStreamId()));
        if (m instanceof Acknowledgement a) return control(RtmpMessage.ACKNOWLEDGEMENT, be32(a.sequenceNumber()));
        if (m instanceof WindowAckSize w) return control(RtmpMessage.WINDOW_ACK_SIZE, be32(w.size()));
        if (m instanceof SetPeerBandwidth b) {
            return control(RtmpMessage.SET_PEER_BANDWIDTH, ByteBuffer.allocate(5).putInt((int) b.size()).put((byte) b.limitType()).array());
        }
        if (m instanceof UserControl u) {
            boolean bufferLength = u.event() == UserControl.SET_BUFFER_LENGTH;
            ByteBuffer buf = ByteBuffer.allocate(bufferLength ? 10 : 6).putShort((short) u.event()).putInt((int) u.value());
            if (bufferLength) buf.putInt((int) u.extra());
            return control(RtmpMessage.USER_CONTROL, buf.array());
        }
        if (m instanceof Command c) {
            Amf0Writer w = new Amf0Writer().write(c.name()).write(c.transactionId());
            for (Object arg : c.arguments()) w.write(arg);
            return new RawMessage(CS_COMMAND, 0, RtmpMessage.COMMAND_AMF0, c.messageStreamId(), w.toByteArray());
        }
        if (m instanceof Data d) return new RawMessage(CS_DATA, d.timestamp(), RtmpMessage.DATA_AMF0, d.messageStreamId(), d.body());
        if (m instanceof Audio a) return new RawMessage(CS_AUDIO, a.timestamp(), RtmpMessage.AUDIO, a.messageStreamId(), a.body());
        if (m instanceof Video v) return new RawMessage(CS_VIDEO, v.timestamp(), RtmpMessage.VIDEO, v.messageStreamId(), v.body());
        throw new IllegalArgumentException("cannot encode " + m);
    }

    /** A data message built from values (the body is their AMF0 encoding). */
    public static Data data(int messageStreamId, long timestamp, Object... values) {
        return new Data(messageStreamId, timestamp, java.util.Arrays.asList(values), Amf0.encode(values));
    }

    private static Command command(int messageStreamId, byte[] p, int offset) {
        List<Object> values = new Amf0Reader(p, offset, p.length - offset).readAll();
        if (values.size() < 2 || !(values.get(0) instanceof String name) || !(values.get(1) instanceof Double txn)) {
            throw new RtmpProtocolException("command without a name and transaction id");
        }
        return new Command(messageStreamId, name, txn, nullSafe(values.subList(2, values.size())));
    }

    private static Data data(int messageStreamId, long timestamp, byte[] p, int offset) {
        if (offset > p.length) throw new RtmpProtocolException("AMF3 data message without its format byte");
        byte[] body = offset == 0 ? p : Arrays.copyOfRange(p, offset, p.length);
        return new Data(messageStreamId, timestamp, new Amf0Reader(body, 0, body.length).readAll(), body);
    }

    /** AMF null arguments are common (the command object of publish): List.copyOf refuses nulls, so keep them another way. */
    private static List<Object> nullSafe(List<Object> values) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    /**
     * An Aggregate is a run of FLV tags (type, size, timestamp, stream id, body, back pointer); each becomes its own
     * message, with timestamps re-based onto the aggregate's own timestamp.
     */
    private static List<RtmpMessage> aggregate(RawMessage raw) {
        byte[] p = raw.payload();
        List<RtmpMessage> out = new ArrayList<>();
        int pos = 0;
        long firstTagTs = -1;
        while (pos < p.length) {
            if (p.length - pos < 11) throw new RtmpProtocolException("truncated aggregate sub-message header");
            int type = p[pos] & 0x1F;
            int size = ((p[pos + 1] & 0xFF) << 16) | ((p[pos + 2] & 0xFF) << 8) | (p[pos + 3] & 0xFF);
            long ts = ((p[pos + 4] & 0xFFL) << 16) | ((p[pos + 5] & 0xFF) << 8) | (p[pos + 6] & 0xFF) | ((p[pos + 7] & 0xFFL) << 24);
            int bodyStart = pos + 11;
            if (size > p.length - bodyStart) throw new RtmpProtocolException("aggregate sub-message of " + size + " bytes past the end");
            if (firstTagTs < 0) firstTagTs = ts;
            long timestamp = (raw.timestamp() + ts - firstTagTs) & 0xFFFFFFFFL;
            byte[] body = Arrays.copyOfRange(p, bodyStart, bodyStart + size);
            switch (type) {
                case RtmpMessage.AUDIO -> out.add(new Audio(raw.messageStreamId(), timestamp, body));
                case RtmpMessage.VIDEO -> out.add(new Video(raw.messageStreamId(), timestamp, body));
                case RtmpMessage.DATA_AMF0 -> out.add(data(raw.messageStreamId(), timestamp, body, 0));
                default -> out.add(new Unknown(type));
            }
            pos = bodyStart + size + 4; // back pointer
        }
        return out;
    }

    private static RawMessage control(int typeId, byte[] payload) {
        return new RawMessage(CS_CONTROL, 0, typeId, 0, payload);
    }

    private static byte[] be32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    private static long u32(byte[] p, int off) {
        need(p, off + 4);
        return ((p[off] & 0xFFL) << 24) | ((p[off + 1] & 0xFF) << 16) | ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
    }

    private static void need(byte[] p, int length) {
        if (p.length < length) throw new RtmpProtocolException("control message of " + p.length + " bytes, needs " + length);
    }

    private RtmpMessages() {}
}
