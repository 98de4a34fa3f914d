package io.livestream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevStackConfigTest {
    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        DevStackConfig c = DevStackConfig.parse(new String[] {"--rtmp-port", "1936", "--preset=ultrafast"},
                Map.of("LIVESTREAM_RTMP_PORT", "1999", "LIVESTREAM_HTTP_PORT", "8888", "LIVESTREAM_DATA", "/tmp/x"));
        assertThat(c.rtmpPort()).isEqualTo(1936);
        assertThat(c.httpPort()).isEqualTo(8888);
        assertThat(c.chatPort()).isEqualTo(8090);
        assertThat(c.preset()).isEqualTo("ultrafast");
        assertThat(c.dataDir().toString()).isEqualTo("/tmp/x");
        assertThat(c.infra().externalKafka()).isNull();
    }

    @Test
    void externalKafkaAndRedisComeFromTheEnvironment() {
        DevStackConfig c = DevStackConfig.parse(new String[0], Map.of("KAFKA_BOOTSTRAP", "k:9092", "REDIS_URL", "r:6379"));
        assertThat(c.infra().externalKafka()).isEqualTo("k:9092");
        assertThat(c.infra().externalRedis()).isEqualTo("redis://r:6379");
    }

    @Test
    void mistakesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> DevStackConfig.parse(new String[] {"--rtmp-prot", "1"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rtmp-prot");
        assertThatThrownBy(() -> DevStackConfig.parse(new String[] {"--http-port", "eighty"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http-port");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            DevStackConfig c = DevStackConfig.parse(new String[] {"--http-port", String.valueOf(taken.getLocalPort()),
                    "--rtmp-port", "0", "--dashboard-port", "0", "--metrics-port", "0", "--chat-port", "0",
                    "--kafka-port", "0", "--redis-port", "0"}, Map.of());
            assertThatThrownBy(() -> DevStack.checkPortsFree(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("port " + taken.getLocalPort()).hasMessageContaining("--http-port");
        }
    }
}
