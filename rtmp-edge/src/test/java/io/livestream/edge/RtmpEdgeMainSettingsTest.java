package io.livestream.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.cli.Flags;
import io.livestream.common.registry.StreamRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RtmpEdgeMainSettingsTest {
    @Test
    void defaultsMatchTheDesignPorts() {
        RtmpEdgeMain.Settings s = RtmpEdgeMain.Settings.fromFlags(Flags.parse(new String[0], Map.of()));

        assertThat(s.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(s.redisUri()).isEqualTo("redis://localhost:6379");
        assertThat(s.keyPrefix()).isEqualTo(StreamRegistry.DEFAULT_KEY_PREFIX);
        assertThat(s.edge().host()).isEqualTo("0.0.0.0");
        assertThat(s.edge().port()).isEqualTo(1935);
        assertThat(s.edge().metricsPort()).isEqualTo(9935);
        assertThat(s.rtmpApp()).isEqualTo("live");
        assertThat(s.reconnectGraceMs()).isEqualTo(StreamRegistry.DEFAULT_RECONNECT_GRACE_MS);
        assertThat(s.edge().maxConnectionsPerIp()).isEqualTo(16);
    }

    @Test
    void flagsOverrideTheEnvironmentAsTheComposeFileUsesThem() {
        RtmpEdgeMain.Settings s = RtmpEdgeMain.Settings.fromFlags(Flags.parse(
                new String[] {"--bootstrap", "kafka:9092", "--port", "1936", "--metrics-port", "-1", "--redis-prefix", "old:",
                        "--max-connections-per-ip", "1000"},
                Map.of("LIVESTREAM_REDIS", "redis://redis:6379", "LIVESTREAM_BOOTSTRAP", "ignored:9092",
                        "LIVESTREAM_RECONNECT_GRACE_MS", "20000")));

        assertThat(s.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(s.redisUri()).isEqualTo("redis://redis:6379");
        assertThat(s.keyPrefix()).isEqualTo("old:");
        assertThat(s.edge().port()).isEqualTo(1936);
        assertThat(s.edge().metricsPort()).isEqualTo(-1);
        assertThat(s.reconnectGraceMs()).isEqualTo(20_000);
        assertThat(s.edge().maxConnectionsPerIp()).isEqualTo(1000);
        assertThat(s.edge().maxConnections()).isEqualTo(1000);
    }

    @Test
    void aMistypedFlagStopsTheStart() {
        assertThatThrownBy(() -> RtmpEdgeMain.Settings.fromFlags(Flags.parse(new String[] {"--prot", "1935"}, Map.of())))
                .hasMessage("unknown flag --prot");
    }
}
