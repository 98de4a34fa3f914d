package io.livestream.jobs.media;

/** Frame rates of streams that do not state theirs, measured from millisecond timestamps. */
final class FrameRates {
    /** The usual integer rates (29.97 and 59.94 sources count as 30 and 60: close enough for encoders and playlists). */
    private static final double[] COMMON = {24, 25, 30, 48, 50, 60};
    /** Millisecond timestamps make one interval of a 60 fps stream 16 or 17 ms: 62.5 or 58.8 fps, within 5 %. */
    private static final double TOLERANCE = 0.05;
    private static final double FALLBACK = 30;

    /**
     * The rate of frames {@code intervalMs} apart: the nearest common rate within 5 %, else 1000 / interval (to
     * 0.01); 30 for no interval.
     */
    static double fromIntervalMs(long intervalMs) {
        if (intervalMs <= 0) return FALLBACK;
        double measured = 1000.0 / intervalMs;
        double nearest = COMMON[0];
        for (double rate : COMMON) {
            if (Math.abs(measured - rate) < Math.abs(measured - nearest)) nearest = rate;
        }
        return Math.abs(measured - nearest) <= nearest * TOLERANCE ? nearest : Math.round(measured * 100) / 100.0;
    }

    private FrameRates() {}
}
