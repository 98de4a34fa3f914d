package io.livestream.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {
    @Test
    void threeBrokersShareOneControllerQuorumWithDistinctIdsAndPorts() {
        Map<String, String> first = new KafkaBrokerConfig(1, Path.of("/d/kafka-1")).entries();
        Map<String, String> third = new KafkaBrokerConfig(3, Path.of("/d/kafka-3")).entries();
        assertThat(first).containsEntry("node.id", "1").containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19092,2@127.0.0.1:19093,3@127.0.0.1:19094")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:19092")
                .containsEntry("log.dirs", "/d/kafka-1");
        assertThat(third).containsEntry("node.id", "3").containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9094")
                .containsEntry("controller.quorum.voters", first.get("controller.quorum.voters"));
    }

    @Test
    void replicatesThreeTimesAndAcknowledgesOnTwo() {
        assertThat(new KafkaBrokerConfig(2, Path.of("/d")).entries()).containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2").containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("unclean.leader.election.enable", "false").containsEntry("auto.create.topics.enable", "false");
        assertThat(new KafkaBrokerConfig(2, Path.of("/d")).serverProperties()).contains("\nmin.insync.replicas=2\n");
    }

    @Test
    void clusterIdIsAValidKafkaUuid() {
        assertThat(Uuid.fromString(KafkaBrokerConfig.CLUSTER_ID).toString()).isEqualTo(KafkaBrokerConfig.CLUSTER_ID);
    }
}
