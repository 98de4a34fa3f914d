package io.livestream.origin.store;

/**
 * Limits of the segment store. Memory is bounded by {@code maxTotalBytes} plus, at most, the windows of the one
 * stream being written (about {@code 2 * windowSize * maxRenditionsPerStream * maxSegmentBytes}, the window and its removed segments).
 *
 * @param windowSize segments listed per rendition (the live window); a segment that left it stays downloadable for its duration plus the window's (RFC 8216 6.2.2), then 404s
 * @param maxSegmentBytes larger segments are dropped (with a log line) instead of stored
 * @param maxRenditionsPerStream renditions beyond this are ignored
 * @param maxTotalBytes when exceeded, whole streams are evicted: ended ones first, then the least recently updated
 * @param idleExpiryMs a stream without any record for this long is dropped (a transcoder that died without END, or
 *     an ended stream nobody resumed)
 */
public record StoreConfig(int windowSize, int maxSegmentBytes, int maxRenditionsPerStream, long maxTotalBytes, long idleExpiryMs) {
    public static final StoreConfig DEFAULTS = new StoreConfig(6, 16 * 1024 * 1024, 8, 1024L * 1024 * 1024, 10 * 60_000L);

    public StoreConfig {
        if (windowSize < 1) throw new IllegalArgumentException("windowSize < 1");
        if (maxSegmentBytes < 1) throw new IllegalArgumentException("maxSegmentBytes < 1");
        if (maxRenditionsPerStream < 1) throw new IllegalArgumentException("maxRenditionsPerStream < 1");
        if (maxTotalBytes < 1) throw new IllegalArgumentException("maxTotalBytes < 1");
        if (idleExpiryMs < 1) throw new IllegalArgumentException("idleExpiryMs < 1");
    }

    public StoreConfig withWindowSize(int segments) {
        return new StoreConfig(segments, maxSegmentBytes, maxRenditionsPerStream, maxTotalBytes, idleExpiryMs);
    }

    public StoreConfig withMaxTotalBytes(long bytes) {
        return new StoreConfig(windowSize, maxSegmentBytes, maxRenditionsPerStream, bytes, idleExpiryMs);
    }

    public StoreConfig withIdleExpiryMs(long ms) {
        return new StoreConfig(windowSize, maxSegmentBytes, maxRenditionsPerStream, maxTotalBytes, ms);
    }

    public StoreConfig withMaxSegmentBytes(int bytes) {
        return new StoreConfig(windowSize, bytes, maxRenditionsPerStream, maxTotalBytes, idleExpiryMs);
    }
}
