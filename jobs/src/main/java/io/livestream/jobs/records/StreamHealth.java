package io.livestream.jobs.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One 5 s window of a stream's encoder health on {@code live.stream-health} (JSON, schema
 * docs/topics/live.stream-health.schema.json, version {@value #SCHEMA_VERSION}).
 *
 * @param windowStartMs start of the window on the stream's own timeline (RTMP timestamps, ms)
 * @param windowEndMs end of the window on that timeline (exclusive); shorter than 5 s when {@code partial}
 * @param at wall-clock epoch ms the window was closed (for "the last 10 minutes")
 * @param keyframeIntervalSec the longest stretch without a keyframe seen in the window, including the open one at its end
 * @param avDriftMs last audio timestamp minus last video timestamp in the window; null without both
 * @param droppedFrames video frames missing from the timestamp sequence (gaps over 1.5 frame intervals)
 * @param partial the stream went silent or changed session before the window was full
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamHealth(int v, String streamId, String sessionId, long windowStartMs, long windowEndMs, long at,
                           double videoKbps, double audioKbps, double fps, double keyframeIntervalSec, Long avDriftMs,
                           long droppedFrames, long videoFrames, long audioFrames, boolean partial, List<String> warnings) {
    public static final int SCHEMA_VERSION = 1;
    public static final String LOW_BITRATE = "low-bitrate";
    public static final String LOW_FPS = "low-fps";
    public static final String DROPPED_FRAMES = "dropped-frames";
    public static final String LONG_KEYFRAME_INTERVAL = "long-keyframe-interval";

    public StreamHealth {
        warnings = List.copyOf(warnings);
    }
}
