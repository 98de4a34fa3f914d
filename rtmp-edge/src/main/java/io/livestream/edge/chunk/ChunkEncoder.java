package io.livestream.edge.chunk;

import static io.livestream.edge.chunk.ChunkHeaders.*;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits messages into chunks, using the smallest header format the previous message on the same chunk stream
 * allows, with extended timestamps (repeated on format-3 chunks) where the value needs them.
 */
public final class ChunkEncoder {
    private final Map<Integer, StreamState> streams = new HashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    /** Takes effect for the next message; send the Set Chunk Size message itself first. */
    public void setChunkSize(int size) {
        if (size < 1) throw new IllegalArgumentException("chunk size " + size);
        this.chunkSize = size;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public void encode(RawMessage m, ByteBuf out) {
        int csid = m.chunkStreamId();
        if (csid < MIN_CHUNK_STREAM_ID || csid > MAX_CHUNK_STREAM_ID) throw new IllegalArgumentException("chunk stream id " + csid);
        StreamState prev = streams.get(csid);
        int length = m.payload().length;
        long delta = prev == null ? 0 : m.timestamp() - prev.timestamp;
        int fmt;
        if (prev == null || prev.messageStreamId != m.messageStreamId() || delta < 0) {
            fmt = FMT_FULL;
        } else if (prev.length != length || prev.typeId != m.typeId()) {
            fmt = FMT_SAME_STREAM;
        } else if (prev.delta != delta) {
            fmt = FMT_DELTA_ONLY;
        } else {
            fmt = FMT_NONE;
        }
        StreamState st = prev == null ? new StreamState() : prev;
        long tsField = fmt == FMT_FULL ? m.timestamp() : delta;
        boolean extended = fmt == FMT_NONE ? st.extended : tsField >= EXTENDED_TIMESTAMP;
        st.timestamp = m.timestamp();
        st.delta = tsField;
        st.length = length;
        st.typeId = m.typeId();
        st.messageStreamId = m.messageStreamId();
        st.extended = extended;
        streams.put(csid, st);

        writeBasicHeader(out, fmt, csid);
        if (fmt <= FMT_DELTA_ONLY) {
            out.writeMedium(extended ? EXTENDED_TIMESTAMP : (int) tsField);
            if (fmt <= FMT_SAME_STREAM) {
                out.writeMedium(length);
                out.writeByte(m.typeId());
            }
            if (fmt == FMT_FULL) out.writeIntLE(m.messageStreamId());
        }
        if (extended) out.writeInt((int) tsField);
        int written = 0;
        do {
            if (written > 0) {
                writeBasicHeader(out, FMT_NONE, csid);
                if (extended) out.writeInt((int) tsField);
            }
            int n = Math.min(chunkSize, length - written);
            out.writeBytes(m.payload(), written, n);
            written += n;
        } while (written < length);
    }

    private static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid < 64) {
            out.writeByte((fmt << 6) | csid);
        } else if (csid < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte((fmt << 6) | 1);
            out.writeByte((csid - 64) & 0xFF);
            out.writeByte((csid - 64) >>> 8);
        }
    }
}
