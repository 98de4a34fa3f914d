package io.livestream.netguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.time.FakeClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private final FakeClock clock = new FakeClock(1_000_000);
    private final List<String> lines = new ArrayList<>();
    private final RateLimitedLog log = new RateLimitedLog(lines::add, 10_000, clock);

    @Test
    void aFloodIsOneLinePerIntervalWithTheCountOfTheRest() {
        for (int i = 0; i < 1000; i++) log.event("refused", "refused %d", i);
        assertThat(lines).containsExactly("refused 0");
        clock.advance(10_000);
        log.event("refused", "refused %d", 1000);
        assertThat(lines).containsExactly("refused 0", "refused 1000 (and 999 more like it since the last such line)");
    }

    @Test
    void kindsAreLimitedApart() {
        log.event("per-address", "a");
        log.event("total", "b");
        log.event("per-address", "c");
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void formatsOnlyWhatItWrites() {
        log.event("k", "first");
        log.event("k", "%d", "not a number"); // suppressed, so never formatted (this would throw)
        assertThat(lines).containsExactly("first");
    }
}
