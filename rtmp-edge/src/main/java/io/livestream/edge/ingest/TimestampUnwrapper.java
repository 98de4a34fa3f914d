package io.livestream.edge.ingest;

/**
 * Turns RTMP's 32-bit millisecond timestamps (which wrap after ~49.7 days) into a 64-bit timeline: a step back of
 * more than half the range is a wrap, smaller steps back are ordinary jitter and stay as they are.
 */
public final class TimestampUnwrapper {
    private static final long RANGE = 1L << 32;
    private long epoch;
    private long last = -1;

    public long unwrap(long timestamp32) {
        long ts = timestamp32 & 0xFFFFFFFFL;
        if (last >= 0) {
            if (ts < last && last - ts > RANGE / 2) epoch += RANGE;
            else if (ts > last && ts - last > RANGE / 2 && epoch > 0) epoch -= RANGE; // a late tag from before the wrap
        }
        last = ts;
        return epoch + ts;
    }

    /** The last value {@link #unwrap} returned, or -1 before the first. */
    public long lastUnwrapped() {
        return last < 0 ? -1 : epoch + last;
    }
}
