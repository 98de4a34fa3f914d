package io.livestream.edge.chunk;

/** Constants of the chunk wire format shared by the decoder and encoder. */
final class ChunkHeaders {
    static final int FMT_FULL = 0;          // 11-byte message header: absolute timestamp
    static final int FMT_SAME_STREAM = 1;   // 7 bytes: delta, length, type
    static final int FMT_DELTA_ONLY = 2;    // 3 bytes: delta
    static final int FMT_NONE = 3;          // 0 bytes: everything as before
    static final int EXTENDED_TIMESTAMP = 0xFFFFFF;
    static final int DEFAULT_CHUNK_SIZE = 128;
    static final int MIN_CHUNK_STREAM_ID = 2;
    static final int MAX_CHUNK_STREAM_ID = 65599;

    /** What one chunk stream remembers between chunks (both directions). */
    static final class StreamState {
        long timestamp;
        long delta;
        int length;
        int typeId;
        int messageStreamId;
        boolean extended;
    }

    private ChunkHeaders() {}
}
