package io.livestream.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class KafkaNodeConfigTest {
    @Test
    void threeDedicatedControllersFormTheQuorumTheBrokersName() {
        Map<String, String> controller = KafkaNodeConfig.controller(2, Path.of("/d/kafka-controller-2")).entries();
        Map<String, String> broker = KafkaNodeConfig.broker(3, Path.of("/d/kafka-3")).entries();
        String voters = "101@127.0.0.1:19092,102@127.0.0.1:19093,103@127.0.0.1:19094";
        assertThat(controller).containsEntry("process.roles", "controller").containsEntry("node.id", "102")
                .containsEntry("controller.quorum.voters", voters)
                .containsEntry("listeners", "CONTROLLER://127.0.0.1:19093")
                .containsEntry("log.dirs", "/d/kafka-controller-2")
                .doesNotContainKey("advertised.listeners");
        assertThat(broker).containsEntry("process.roles", "broker").containsEntry("node.id", "3")
                .containsEntry("controller.quorum.voters", voters)
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9094")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9094")
                .containsEntry("log.dirs", "/d/kafka-3");
    }

    @Test
    void brokersAndControllersAgreeOnFencingADeadBrokerWithinTwoSeconds() {
        Map<String, String> controller = KafkaNodeConfig.controller(1, Path.of("/c")).entries();
        Map<String, String> broker = KafkaNodeConfig.broker(1, Path.of("/b")).entries();
        for (Map<String, String> node : java.util.List.of(controller, broker)) {
            // the controller applies the session timeout, the broker the heartbeat interval: both read both
            assertThat(Integer.parseInt(node.get("broker.session.timeout.ms"))).isLessThan(2000);
            assertThat(Integer.parseInt(node.get("broker.heartbeat.interval.ms")) * 4)
                    .isLessThanOrEqualTo(Integer.parseInt(node.get("broker.session.timeout.ms")));
        }
    }

    @Test
    void theControllersCreateTopicsWithThreeReplicasAsTheBrokersWould() {
        // KRaft: CreateTopics without a replication factor is decided by the controller, with its own default
        for (KafkaNodeConfig node : java.util.List.of(KafkaNodeConfig.controller(1, Path.of("/c")), KafkaNodeConfig.broker(1, Path.of("/b")))) {
            assertThat(node.entries()).containsEntry("default.replication.factor", "3").containsEntry("min.insync.replicas", "2")
                    .containsEntry("unclean.leader.election.enable", "false");
        }
    }

    @Test
    void replicatesThreeTimesAndAcknowledgesOnTwo() {
        KafkaNodeConfig broker = KafkaNodeConfig.broker(2, Path.of("/d"));
        assertThat(broker.entries()).containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2").containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("unclean.leader.election.enable", "false").containsEntry("auto.create.topics.enable", "false");
        assertThat(broker.serverProperties()).contains("\nmin.insync.replicas=2\n");
    }

    @Test
    void clusterIdIsAValidKafkaUuid() {
        assertThat(Uuid.fromString(KafkaNodeConfig.CLUSTER_ID).toString()).isEqualTo(KafkaNodeConfig.CLUSTER_ID);
    }
}
