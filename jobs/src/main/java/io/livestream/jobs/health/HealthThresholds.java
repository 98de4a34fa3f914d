package io.livestream.jobs.health;

import java.io.Serializable;

/**
 * When a window gets a warning: the reference design's thresholds by default.
 *
 * @param minKbps total (video + audio) bitrate under this warns
 * @param minFps video frame rate under this warns
 * @param maxDroppedFrames more dropped frames than this in one window warns
 * @param maxKeyframeIntervalSec a keyframe-free stretch longer than this warns (players join and switch at keyframes)
 */
public record HealthThresholds(double minKbps, double minFps, long maxDroppedFrames, double maxKeyframeIntervalSec) implements Serializable {
    public static final HealthThresholds DEFAULTS = new HealthThresholds(500, 20, 100, 4);
}
