package io.livestream.jobs.media;

import java.io.Serializable;

/**
 * How streams are transcoded.
 *
 * @param preset libx264 preset (veryfast in production, ultrafast in tests)
 * @param encoderThreads libx264 threads per rendition (slice threads: zerolatency adds no frame delay)
 * @param maxEncodedFps encoded rungs above this rate get every other frame dropped (60 -> 30, 50 -> 25)
 */
public record TranscodeSettings(Ladder ladder, String preset, int encoderThreads, double maxEncodedFps) implements Serializable {
    public static final String DEFAULT_PRESET = "veryfast";

    public static TranscodeSettings defaults() {
        return new TranscodeSettings(Ladder.defaults(), DEFAULT_PRESET, 2, 30);
    }

    public TranscodeSettings withLadder(Ladder l) {
        return new TranscodeSettings(l, preset, encoderThreads, maxEncodedFps);
    }

    public TranscodeSettings withPreset(String p) {
        return new TranscodeSettings(ladder, p, encoderThreads, maxEncodedFps);
    }

    public TranscodeSettings withEncoderThreads(int t) {
        return new TranscodeSettings(ladder, preset, t, maxEncodedFps);
    }
}
