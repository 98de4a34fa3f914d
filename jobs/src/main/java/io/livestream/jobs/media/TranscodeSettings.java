package io.livestream.jobs.media;

import java.io.Serializable;

/**
 * How streams are transcoded.
 *
 * @param preset libx264 preset (veryfast in production, ultrafast in tests)
 * @param encoderThreads libx264 threads of a rendition of full HD or more (slice threads: zerolatency adds no frame
 *     delay); smaller renditions encode on one thread each: {@link #encoderThreadsFor}
 * @param maxEncodedFps encoded rungs above this rate get every other frame dropped (60 -> 30, 50 -> 25)
 * @param partTargetMs LL-HLS part target: parts never last longer (0: no parts)
 */
public record TranscodeSettings(Ladder ladder, String preset, int encoderThreads, double maxEncodedFps, long partTargetMs)
        implements Serializable {
    public static final String DEFAULT_PRESET = "veryfast";
    /**
     * A player holds back PART-HOLD-BACK = 3 part targets (0.75 s) from the newest part: hls.js and Shaka play about
     * 0.85 and 0.5 s behind the edge with it, against 1.4 and 1.1 s with 333 ms parts (BENCHMARKS.md, glass-to-glass).
     */
    public static final long DEFAULT_PART_TARGET_MS = 250;
    private static final long FULL_HD_PIXELS = 1920L * 1080;

    public TranscodeSettings {
        if (partTargetMs < 0) throw new IllegalArgumentException("partTargetMs < 0");
    }

    public TranscodeSettings(Ladder ladder, String preset, int encoderThreads, double maxEncodedFps) {
        this(ladder, preset, encoderThreads, maxEncodedFps, DEFAULT_PART_TARGET_MS);
    }

    public static TranscodeSettings defaults() {
        return new TranscodeSettings(Ladder.defaults(), DEFAULT_PRESET, 2, 30);
    }

    /**
     * libx264 threads for a rendition of {@code width x height}: {@link #encoderThreads} from about full HD up, where one
     * core may not encode a picture in a frame's time, else one. The rungs already encode in parallel on their lanes, and
     * slicing a small picture across threads costs a meeting of the threads per frame and a slice boundary: on the 1080p
     * ladder (720p, 480p, 360p on one thread each) the transcoder ran ~1.1x faster than with two slice threads each
     * (BENCHMARKS.md, issue 13).
     */
    public int encoderThreadsFor(int width, int height) {
        return (long) width * height >= FULL_HD_PIXELS * 3 / 4 ? encoderThreads : 1;
    }

    public TranscodeSettings withPartTargetMs(long ms) {
        return new TranscodeSettings(ladder, preset, encoderThreads, maxEncodedFps, ms);
    }

    public TranscodeSettings withLadder(Ladder l) {
        return new TranscodeSettings(l, preset, encoderThreads, maxEncodedFps, partTargetMs);
    }

    public TranscodeSettings withPreset(String p) {
        return new TranscodeSettings(ladder, p, encoderThreads, maxEncodedFps, partTargetMs);
    }

    public TranscodeSettings withEncoderThreads(int t) {
        return new TranscodeSettings(ladder, preset, t, maxEncodedFps, partTargetMs);
    }
}
