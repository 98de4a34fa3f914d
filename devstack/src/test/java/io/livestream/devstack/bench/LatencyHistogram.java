package io.livestream.devstack.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A lock-free latency histogram for benchmarks: 0.1 ms buckets up to 60 s (larger values land in the last bucket),
 * recorded from any thread; percentiles read once the recording is over.
 */
final class LatencyHistogram {
    private static final long BUCKET_NANOS = 100_000;
    private static final int BUCKETS = 600_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, v / BUCKET_NANOS));
        max.accumulate(v);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) n += counts.get(i);
        return n;
    }

    /** The upper edge of the bucket holding the {@code p}-th percentile (0 < p <= 100), in milliseconds; NaN if empty. */
    double percentileMs(double p) {
        long total = count();
        if (total == 0) return Double.NaN;
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) return (i + 1) * BUCKET_NANOS / 1e6;
        }
        return maxMs();
    }

    double maxMs() {
        return max.get() / 1e6;
    }
}
