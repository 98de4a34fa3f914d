package io.livestream.jobs.health;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.records.StreamHealth;
import java.util.ArrayList;
import java.util.List;

/**
 * The open window of one stream plus what carries over between windows (last keyframe, last timestamps, the frame
 * interval). Pure; a Flink POJO (public fields, no-arg constructor) so it is checkpointed as keyed state.
 */
public class HealthWindow {
    public static final long WINDOW_MS = 5_000;

    public String sessionId;
    public long windowStart = Long.MIN_VALUE;
    public long videoBytes;
    public long audioBytes;
    public long videoFrames;
    public long audioFrames;
    public long droppedFrames;
    public long longestKeyframeGapMs;
    public long lastVideoInWindow = Long.MIN_VALUE;
    public long lastAudioInWindow = Long.MIN_VALUE;
    // carried across windows of the session
    public long lastKeyframeDts = Long.MIN_VALUE;
    public long lastVideoDts = Long.MIN_VALUE;
    /** Moving average of the video frame interval, gaps excluded: what "a frame is missing" is measured against. */
    public double frameIntervalMs;

    public HealthWindow() {}

    public boolean isOpen() {
        return windowStart != Long.MIN_VALUE;
    }

    /** Whether {@code r} lies beyond the open window (which must then be closed first). */
    public boolean isBeyond(IngestRecord r) {
        return isOpen() && r.timestampMs() >= windowStart + WINDOW_MS;
    }

    /** Where the data of a window cut short ends: the last timestamp plus one frame. */
    public long dataEnd() {
        long videoEnd = lastVideoInWindow == Long.MIN_VALUE ? Long.MIN_VALUE : lastVideoInWindow + Math.max(Math.round(frameIntervalMs), 1);
        return Math.max(videoEnd, lastAudioInWindow + 1);
    }

    public void add(IngestRecord r) {
        if (r.sequenceHeader() || r.kind() == IngestRecord.Kind.DATA) return;
        long ts = r.timestampMs();
        if (!isOpen()) windowStart = Math.floorDiv(ts, WINDOW_MS) * WINDOW_MS;
        if (r.kind() == IngestRecord.Kind.AUDIO) {
            audioBytes += r.payload().length;
            audioFrames++;
            lastAudioInWindow = ts;
            return;
        }
        videoBytes += r.payload().length;
        videoFrames++;
        lastVideoInWindow = ts;
        if (lastVideoDts != Long.MIN_VALUE) {
            long delta = ts - lastVideoDts;
            // a gap of n intervals means n - 1 frames never arrived; half an interval of jitter is tolerated
            if (frameIntervalMs > 0 && delta * 2 > frameIntervalMs * 3) {
                droppedFrames += Math.round(delta / frameIntervalMs) - 1;
            } else if (delta > 0) {
                // millisecond timestamps of 30 fps alternate 33/34: average them
                frameIntervalMs = frameIntervalMs == 0 ? delta : frameIntervalMs * 0.9 + delta * 0.1;
            }
        }
        lastVideoDts = ts;
        if (r.keyframe()) {
            if (lastKeyframeDts != Long.MIN_VALUE) longestKeyframeGapMs = Math.max(longestKeyframeGapMs, ts - lastKeyframeDts);
            lastKeyframeDts = ts;
        }
    }

    /**
     * The health of the open window, ended at {@code endMs} (its full end, or the last timestamp seen when the stream
     * stopped); then starts the next window empty, keeping what carries over.
     */
    public StreamHealth close(String streamId, long endMs, boolean partial, long nowMs, HealthThresholds t) {
        long end = Math.max(endMs, windowStart + 1);
        double seconds = (end - windowStart) / 1000.0;
        double videoKbps = videoBytes * 8 / seconds / 1000;
        double audioKbps = audioBytes * 8 / seconds / 1000;
        double fps = videoFrames / seconds;
        long openGap = lastKeyframeDts == Long.MIN_VALUE ? end - windowStart : end - lastKeyframeDts;
        double keyframeIntervalSec = Math.max(longestKeyframeGapMs, openGap) / 1000.0;
        Long drift = lastAudioInWindow != Long.MIN_VALUE && lastVideoInWindow != Long.MIN_VALUE ? lastAudioInWindow - lastVideoInWindow : null;

        List<String> warnings = new ArrayList<>();
        if (videoKbps + audioKbps < t.minKbps()) warnings.add(StreamHealth.LOW_BITRATE);
        if (fps < t.minFps()) warnings.add(StreamHealth.LOW_FPS);
        if (droppedFrames > t.maxDroppedFrames()) warnings.add(StreamHealth.DROPPED_FRAMES);
        if (keyframeIntervalSec > t.maxKeyframeIntervalSec()) warnings.add(StreamHealth.LONG_KEYFRAME_INTERVAL);
        StreamHealth health = new StreamHealth(StreamHealth.SCHEMA_VERSION, streamId, sessionId, windowStart, end, nowMs,
                round(videoKbps), round(audioKbps), round(fps), keyframeIntervalSec, drift, droppedFrames, videoFrames, audioFrames,
                partial, warnings);
        windowStart = Long.MIN_VALUE;
        videoBytes = audioBytes = videoFrames = audioFrames = droppedFrames = longestKeyframeGapMs = 0;
        lastVideoInWindow = lastAudioInWindow = Long.MIN_VALUE;
        return health;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
