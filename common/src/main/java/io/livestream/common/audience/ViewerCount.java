package io.livestream.common.audience;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Concurrent viewers of a stream in one window, on {@code live.viewer-counts} (JSON, schema version
 * {@value #SCHEMA_VERSION}), key = stream id.
 *
 * @param windowStart epoch milliseconds, inclusive; windowEnd exclusive (30 s windows every 5 s)
 * @param count distinct viewers who sent a heartbeat in the window
 * @param exact false when the count is an HLL sketch's estimate (above 10,000 viewers)
 * @param byRendition distinct viewers per rendition (heartbeats without a rendition are only in count)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ViewerCount(int v, String streamId, long windowStart, long windowEnd, long count, boolean exact,
                          Map<String, Long> byRendition) {
    public static final int SCHEMA_VERSION = 1;

    public static ViewerCount of(String streamId, long windowStart, long windowEnd, long count, boolean exact, Map<String, Long> byRendition) {
        return new ViewerCount(SCHEMA_VERSION, streamId, windowStart, windowEnd, count, exact, byRendition);
    }
}
