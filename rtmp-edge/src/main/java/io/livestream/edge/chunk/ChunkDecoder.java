package io.livestream.edge.chunk;

import static io.livestream.edge.chunk.ChunkHeaders.*;

import io.livestream.edge.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reassembles RTMP messages from interleaved chunks (all four header formats, extended timestamps also on
 * format-3 chunks, per-chunk-stream state). Pure and single-threaded: bytes in, {@link RawMessage}s out.
 * A chunk is consumed only once it is wholly available, so the caller may feed bytes in any slices.
 */
public final class ChunkDecoder {
    private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

    private final int maxMessageSize;
    private final int maxChunkSize;
    private final int maxChunkStreams;
    private final Map<Integer, InboundStream> streams = new HashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private InboundStream lastStream;     // the chunk stream readChunk last appended to
    private int lastChunkStreamId;

    public ChunkDecoder(int maxMessageSize, int maxChunkSize, int maxChunkStreams) {
        this.maxMessageSize = maxMessageSize;
        this.maxChunkSize = maxChunkSize;
        this.maxChunkStreams = maxChunkStreams;
    }

    /** Reads chunks until one completes a message; null when {@code in} holds no further whole chunk. */
    public RawMessage decode(ByteBuf in) {
        while (true) {
            int start = in.readerIndex();
            int consumed = readChunk(in, start);
            if (consumed < 0) return null;
            in.readerIndex(start + consumed);
            InboundStream s = lastStream;
            if (s.received == s.state.length) {
                byte[] payload = s.payload;
                s.payload = null;
                s.received = 0;
                return new RawMessage(lastChunkStreamId, s.state.timestamp, s.state.typeId, s.state.messageStreamId, payload);
            }
        }
    }

    /** Applies a peer's Set Chunk Size (the value is the 31-bit field; 0 and anything above the limit are refused). */
    public void setChunkSize(long size) {
        if (size < 1 || size > maxChunkSize) throw new RtmpProtocolException("chunk size " + size + " outside 1.." + maxChunkSize);
        this.chunkSize = (int) size;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Applies a peer's Abort: the partly received message on that chunk stream is dropped. */
    public void abort(int chunkStreamId) {
        InboundStream s = streams.get(chunkStreamId);
        if (s != null) {
            s.payload = null;
            s.received = 0;
        }
    }

    private static final class InboundStream {
        final StreamState state = new StreamState();
        byte[] payload;   // non-null while a message is being reassembled; grows as bytes arrive
        int received;

        /** Room for {@code more} bytes: grown with what arrives, never to the announced length up front. */
        void ensureRoom(int more) {
            int needed = received + more;
            if (needed > payload.length) {
                payload = Arrays.copyOf(payload, Math.min(state.length, Math.max(needed, payload.length * 2)));
            }
        }
    }

    /** Parses one chunk starting at {@code at} without moving the reader; returns its size, or -1 if incomplete. */
    private int readChunk(ByteBuf in, int at) {
        int available = in.writerIndex() - at;
        if (available < 1) return -1;
        int b0 = in.getUnsignedByte(at);
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3F;
        int pos = at + 1;
        if (csid == 0) {
            if (available < 2) return -1;
            csid = 64 + in.getUnsignedByte(pos);
            pos += 1;
        } else if (csid == 1) {
            if (available < 3) return -1;
            csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
            pos += 2;
        }
        int headerBytes = switch (fmt) {
            case FMT_FULL -> 11;
            case FMT_SAME_STREAM -> 7;
            case FMT_DELTA_ONLY -> 3;
            default -> 0;
        };
        if (in.writerIndex() - pos < headerBytes) return -1;

        InboundStream s = streams.get(csid);
        if (s == null) {
            if (fmt != FMT_FULL) throw new RtmpProtocolException("format " + fmt + " chunk on unknown chunk stream " + csid);
            if (streams.size() >= maxChunkStreams) throw new RtmpProtocolException("more than " + maxChunkStreams + " chunk streams");
        }
        boolean continuation = s != null && s.payload != null;
        if (continuation && fmt != FMT_NONE) {
            throw new RtmpProtocolException("format " + fmt + " header inside an unfinished message on chunk stream " + csid);
        }

        long tsField = 0;
        int length = s == null ? 0 : s.state.length;
        int typeId = s == null ? 0 : s.state.typeId;
        int messageStreamId = s == null ? 0 : s.state.messageStreamId;
        if (fmt <= FMT_DELTA_ONLY) {
            tsField = in.getUnsignedMedium(pos);
            if (fmt <= FMT_SAME_STREAM) {
                length = in.getUnsignedMedium(pos + 3);
                typeId = in.getUnsignedByte(pos + 6);
            }
            if (fmt == FMT_FULL) messageStreamId = in.getIntLE(pos + 7);
        }
        pos += headerBytes;
        boolean extended = fmt == FMT_NONE ? s.state.extended : tsField == EXTENDED_TIMESTAMP;
        if (extended) {
            if (in.writerIndex() - pos < 4) return -1;
            long ext = in.getUnsignedInt(pos);
            if (fmt != FMT_NONE) tsField = ext; // on format 3 the field repeats the header's value
            pos += 4;
        }
        if (length > maxMessageSize) throw new RtmpProtocolException("message of " + length + " bytes over the " + maxMessageSize + " limit");

        int received = continuation ? s.received : 0;
        int payloadBytes = Math.min(chunkSize, length - received);
        if (in.writerIndex() - pos < payloadBytes) return -1;

        // the whole chunk is here: commit
        if (s == null) {
            s = new InboundStream();
            streams.put(csid, s);
        }
        if (!continuation) {
            StreamState st = s.state;
            switch (fmt) {
                case FMT_FULL -> {
                    st.timestamp = tsField;
                    st.delta = tsField; // a following format-3 message adds the format-0 timestamp as its delta (spec 5.3.1.2.4)
                }
                case FMT_SAME_STREAM, FMT_DELTA_ONLY -> {
                    st.delta = tsField;
                    st.timestamp = (st.timestamp + tsField) & 0xFFFFFFFFL;
                }
                default -> st.timestamp = (st.timestamp + st.delta) & 0xFFFFFFFFL;
            }
            if (fmt != FMT_NONE) st.extended = extended;
            st.length = length;
            st.typeId = typeId;
            st.messageStreamId = messageStreamId;
            // a peer announcing huge messages and never sending them must not cost memory it did not send
            s.payload = new byte[Math.min(length, INITIAL_PAYLOAD_CAPACITY)];
            s.received = 0;
        }
        s.ensureRoom(payloadBytes);
        in.getBytes(pos, s.payload, s.received, payloadBytes);
        s.received += payloadBytes;
        lastStream = s;
        lastChunkStreamId = csid;
        return pos + payloadBytes - at;
    }
}
