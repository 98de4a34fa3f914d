package io.livestream.origin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.json.Json;
import io.livestream.common.time.FakeClock;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {
    private final FakeClock clock = new FakeClock(1_000_000);
    private final HealthHistory history = new HealthHistory(clock, 600_000);

    private void add(String stream, long at) throws Exception {
        history.add(Json.MAPPER.readTree("{\"streamId\":\"" + stream + "\",\"at\":" + at + "}"));
    }

    @Test
    void keepsTheLastTenMinutesPerStreamOldestFirst() throws Exception {
        add("a", 1_000_000);
        add("b", 1_000_000);
        clock.advance(300_000);
        add("a", 1_300_000);
        clock.advance(300_001);

        assertThat(history.recent("a")).extracting(n -> n.get("at").asLong()).containsExactly(1_300_000L);
        assertThat(history.latest("a").orElseThrow().get("at").asLong()).isEqualTo(1_300_000L);
        assertThat(history.latest("b")).isEmpty();
        assertThat(history.recent("unknown")).isEmpty();
    }

    @Test
    void windowsWithoutStreamOrTimeAreIgnored() throws Exception {
        history.add(Json.MAPPER.readTree("{\"at\":1000000}"));
        history.add(Json.MAPPER.readTree("{\"streamId\":\"a\"}"));
        assertThat(history.recent("a")).isEmpty();
    }
}
