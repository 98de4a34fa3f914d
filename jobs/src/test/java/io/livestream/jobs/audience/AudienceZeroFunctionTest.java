package io.livestream.jobs.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.audience.ViewerCount;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Tier 2: the zero after the last viewer, driven by watermarks; nothing left behind afterwards. */
class AudienceZeroFunctionTest {
    static ViewerCount count(long end, long n) {
        return ViewerCount.of("s", end - 30_000, end, n, true, Map.of());
    }

    @Test
    void emitsOneZeroWhenTheNextWindowDoesNotComeThenForgetsTheStream() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AudienceZeroFunction(30_000, 5_000)), ViewerCount::streamId, Types.STRING)) {
            h.open();
            h.processElement(count(30_000, 3), 29_999);
            h.processWatermark(30_000);
            h.processElement(count(35_000, 2), 34_999);
            h.processWatermark(35_000); // the timer of the 30 s window fires: the 35 s window came, so no zero
            assertThat(h.extractOutputValues()).extracting(ViewerCount::count).containsExactly(3L, 2L);
            h.processWatermark(40_000);
            assertThat(h.extractOutputValues()).extracting(ViewerCount::count).containsExactly(3L, 2L, 0L);
            ViewerCount zero = h.extractOutputValues().get(2);
            assertThat(zero.windowStart()).isEqualTo(10_000);
            assertThat(zero.windowEnd()).isEqualTo(40_000);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
            h.processWatermark(100_000);
            assertThat(h.extractOutputValues()).hasSize(3);
        }
    }
}
