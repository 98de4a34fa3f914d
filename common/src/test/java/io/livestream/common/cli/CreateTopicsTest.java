package io.livestream.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CreateTopicsTest {
    @Test
    void readsTheReplicationFactorTheComposeFileGives() {
        CreateTopics.Settings settings = CreateTopics.Settings.fromFlags(Flags.parse(new String[] {
                "--bootstrap", "kafka-1:9092,kafka-2:9092,kafka-3:9092", "--partitions", "6", "--replication-factor", "3",
                "--timeout", "120s"}, Map.of()));

        assertThat(settings).isEqualTo(new CreateTopics.Settings("kafka-1:9092,kafka-2:9092,kafka-3:9092", 6,
                Optional.of((short) 3), Duration.ofSeconds(120)));
    }

    @Test
    void withoutAReplicationFactorTheBrokersDefaultApplies() {
        assertThat(CreateTopics.Settings.fromFlags(Flags.parse(new String[0], Map.of())).replicationFactor()).isEmpty();
    }

    @Test
    void refusesANegativeReplicationFactorAndUnknownFlags() {
        assertThatThrownBy(() -> CreateTopics.Settings.fromFlags(Flags.parse(new String[] {"--replication-factor", "-1"}, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--replication-factor");
        assertThatThrownBy(() -> CreateTopics.Settings.fromFlags(Flags.parse(new String[] {"--replicas", "3"}, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown flag --replicas");
    }
}
