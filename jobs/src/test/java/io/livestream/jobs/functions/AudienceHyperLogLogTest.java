package io.livestream.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Tier 1: the sketch's accuracy across the range, merging, and the exact-then-sketch counter. */
class AudienceHyperLogLogTest {
    @Test
    void estimatesWithinTwoPercentFromSmallToLargeCardinalities() {
        for (int n : new int[] {0, 1, 100, 5_000, 20_000, 50_000, 200_000, 1_000_000}) {
            AudienceHyperLogLog hll = new AudienceHyperLogLog();
            for (int i = 0; i < n; i++) hll.add("viewer-" + i);
            assertThat((double) hll.estimate()).as("n=%d", n).isCloseTo(n, within(Math.max(1, n * 0.02)));
        }
    }

    @Test
    void addingTheSameIdsAgainAndMergingDoNotInflate() {
        AudienceHyperLogLog a = new AudienceHyperLogLog();
        AudienceHyperLogLog b = new AudienceHyperLogLog();
        for (int i = 0; i < 60_000; i++) a.add("v" + i);
        for (int i = 30_000; i < 90_000; i++) b.add("v" + i);
        long before = a.estimate();
        for (int i = 0; i < 60_000; i++) a.add("v" + i);
        assertThat(a.estimate()).isEqualTo(before);
        a.merge(b);
        assertThat((double) a.estimate()).isCloseTo(90_000, within(1_800.0));
    }

    @Test
    void counterIsExactUpToTenThousandThenEstimates() {
        AudienceDistinctCounter c = new AudienceDistinctCounter();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < AudienceDistinctCounter.EXACT_LIMIT; i++) c.add("v" + i);
        }
        assertThat(c.isExact()).isTrue();
        assertThat(c.count()).isEqualTo(10_000);
        c.add("one-more");
        assertThat(c.isExact()).isFalse();
        assertThat((double) c.count()).isCloseTo(10_001, within(200.0));

        AudienceDistinctCounter small = new AudienceDistinctCounter();
        small.add("x");
        small.add("v1");
        small.merge(c);
        assertThat(small.isExact()).isFalse();
        assertThat((double) small.count()).isCloseTo(10_002, within(200.0));
    }
}
