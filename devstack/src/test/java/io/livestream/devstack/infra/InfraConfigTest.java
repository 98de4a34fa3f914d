package io.livestream.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraConfigTest {
    @Test
    void embedsEverythingInDotDataByDefault() {
        InfraConfig config = InfraConfig.fromEnvironment(Map.of());
        assertThat(config.externalKafka()).isNull();
        assertThat(config.externalRedis()).isNull();
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.redisPort()).isEqualTo(6379);
        assertThat(config.kafkaDir()).isEqualTo(config.dataDir().resolve("kafka"));
        assertThat(config.redisDir()).isEqualTo(config.dataDir().resolve("redis"));
    }

    @Test
    void readsExternalAddressesAndDataDirFromTheEnvironment() {
        InfraConfig config = InfraConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP", "kafka:9092", "REDIS_URL", "redis:6379", "LIVESTREAM_DATA", "/var/lib/ls"));
        assertThat(config.externalKafka()).isEqualTo("kafka:9092");
        assertThat(config.externalRedis()).isEqualTo("redis://redis:6379");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/ls"));
    }

    @Test
    void blankVariablesCountAsUnset() {
        InfraConfig config = InfraConfig.fromEnvironment(Map.of("KAFKA_BOOTSTRAP", " ", "REDIS_URL", ""));
        assertThat(config.externalKafka()).isNull();
        assertThat(config.externalRedis()).isNull();
    }
}
