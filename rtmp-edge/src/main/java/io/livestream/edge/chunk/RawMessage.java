package io.livestream.edge.chunk;

/**
 * One RTMP message as the chunk layer reassembles it (or is about to split it).
 *
 * @param timestamp 32-bit RTMP timestamp in ms (wraps; unrolling is the ingest side's job)
 */
public record RawMessage(int chunkStreamId, long timestamp, int typeId, int messageStreamId, byte[] payload) {
    @Override
    public String toString() {
        return "RawMessage[cs=" + chunkStreamId + " ts=" + timestamp + " type=" + typeId + " ms=" + messageStreamId + " " + payload.length + "B]";
    }
}
