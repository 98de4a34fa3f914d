package io.livestream.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
    @Test
    void flagWinsOverEnvironmentWhichWinsOverDefault() {
        Flags flags = Flags.parse(new String[] {"--port", "1936", "--public-host=live.example.com"},
                Map.of("LIVESTREAM_PORT", "1999", "LIVESTREAM_REDIS", "redis://redis:6379"));

        assertThat(flags.port("port", 1935)).isEqualTo(1936);
        assertThat(flags.get("public-host", "localhost")).isEqualTo("live.example.com");
        assertThat(flags.get("redis", "redis://localhost:6379")).isEqualTo("redis://redis:6379");
        assertThat(flags.get("bootstrap", "localhost:9092")).isEqualTo("localhost:9092");
    }

    @Test
    void dashedFlagNamesMapToUpperSnakeEnvironmentNames() {
        assertThat(Flags.envName("recordings-dir")).isEqualTo("LIVESTREAM_RECORDINGS_DIR");
        Flags flags = Flags.parse(new String[0], Map.of("LIVESTREAM_CHAT_PORT", " 8091 "));
        assertThat(flags.port("chat-port", 8090)).isEqualTo(8091);
    }

    @Test
    void durationsTakeUnitsOrIso8601() {
        Flags flags = Flags.parse(new String[] {"--a", "500ms", "--b", "90s", "--c", "10m", "--d", "2h", "--e", "7d", "--f", "PT1H30M"}, Map.of());
        assertThat(flags.duration("a", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(flags.duration("b", null)).isEqualTo(Duration.ofSeconds(90));
        assertThat(flags.duration("c", null)).isEqualTo(Duration.ofMinutes(10));
        assertThat(flags.duration("d", null)).isEqualTo(Duration.ofHours(2));
        assertThat(flags.duration("e", null)).isEqualTo(Duration.ofDays(7));
        assertThat(flags.duration("f", null)).isEqualTo(Duration.ofMinutes(90));
        assertThat(flags.duration("g", Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> Flags.parse(new String[] {"1935"}, Map.of())).hasMessageContaining("'1935'");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--port", "--redis", "x"}, Map.of())).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--port", "x"}, Map.of()).port("port", 1)).hasMessageContaining("--port must be a number");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--port", "70000"}, Map.of()).port("port", 1)).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--ttl", "5 weeks"}, Map.of()).duration("ttl", null)).hasMessageContaining("--ttl must be a duration");
        assertThatThrownBy(() -> Flags.parse(new String[0], Map.of()).require("token-secret")).hasMessageContaining("LIVESTREAM_TOKEN_SECRET");
    }

    @Test
    void unknownFlagsAreRejectedOnlyAfterReading() {
        Flags flags = Flags.parse(new String[] {"--port", "1", "--prot", "2"}, Map.of());
        flags.port("port", 0);
        assertThatThrownBy(flags::rejectUnknown).hasMessage("unknown flag --prot");
    }
}
