package io.livestream.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterTopologyTest {
    @Test
    void flinkClassPathLeavesOutWhatTheJobJarBrings() {
        String classPath = String.join(":", "/r/common/target/common-0.1.0-SNAPSHOT.jar", "/r/jobs/target/jobs-0.1.0-SNAPSHOT.jar",
                "/m2/org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar",
                "/m2/org/apache/flink/flink-connector-kafka/5.0.0-2.2/flink-connector-kafka-5.0.0-2.2.jar",
                "/m2/org/apache/kafka/kafka-clients/4.2.0/kafka-clients-4.2.0.jar",
                "/m2/org/bytedeco/ffmpeg/8.0.1-1.5.13/ffmpeg-8.0.1-1.5.13-linux-x86_64-gpl.jar",
                "/m2/redis/clients/jedis/8.0.2/jedis-8.0.2.jar");
        assertThat(ClusterTopology.flinkClassPath(classPath)).isEqualTo(
                "/m2/org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar:/m2/org/bytedeco/ffmpeg/8.0.1-1.5.13/ffmpeg-8.0.1-1.5.13-linux-x86_64-gpl.jar");
    }

    @Test
    void theTaskManagersRunTheLaunchersJarAsWarmUpAgentNotOnTheirClassPath() {
        ClusterLayout layout = new ClusterLayout(Path.of("/d"));
        String classPath = "devstack/target/devstack-0.1.0-SNAPSHOT.jar:/m2/org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar";
        ClusterTopology topology = new ClusterTopology(layout, "java", classPath, Path.of("/d/conf/log4j2.properties"), "secret");
        java.util.List<String> command = topology.taskManager(2, Path.of("/d/conf/flink"), new FlinkClusterConfig(layout)).command();
        assertThat(command).contains("-javaagent:devstack/target/devstack-0.1.0-SNAPSHOT.jar=/d/flink/tmp-taskmanager-2")
                .containsSubsequence("-cp", "/m2/org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar",
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        assertThat(ClusterTopology.flinkClassPath("/r/devstack/target/devstack-0.1.0-SNAPSHOT.jar:x.jar")).isEqualTo("x.jar");
    }

    @Test
    void everyProcessKindHasItsRoleAndPorts() {
        ClusterLayout layout = new ClusterLayout(Path.of("/d"));
        ClusterTopology topology = new ClusterTopology(layout, "java", "a.jar", Path.of("/d/conf/log4j2.properties"), "secret");
        assertThat(topology.edge(2).ports()).containsExactly(11936, 19936);
        assertThat(topology.origin(1).command()).containsSubsequence("--port", "18080", "--public-http-port", "8080");
        assertThat(topology.chatGateway(2).environment()).containsEntry("CHAT_TOKEN_SECRET", "secret");
        assertThat(topology.redis().command()).containsSubsequence("--appendonly", "yes");
        assertThat(topology.kafka(3, Path.of("/d/conf/kafka-3.properties")).ports()).containsExactly(9094);
        assertThat(topology.kafkaController(3, Path.of("/d/conf/kafka-controller-3.properties")))
                .satisfies(controller -> assertThat(controller.role()).isEqualTo("kafka-controller"))
                .satisfies(controller -> assertThat(controller.ports()).containsExactly(19094))
                .satisfies(controller -> assertThat(controller.command()).containsSubsequence("kafka.Kafka", "/d/conf/kafka-controller-3.properties"));
        assertThat(topology.balancer(Path.of("/d/nginx/nginx.conf"), false).ports()).containsExactly(1935, 8080, 8090);
        assertThat(topology.zookeeper(Path.of("/d/conf/zoo.cfg")).command())
                .contains("org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer").containsSubsequence("--zkConfigFile", "/d/conf/zoo.cfg");
        assertThat(topology.zooCfg()).contains("clientPort=2181", "dataDir=/d/zookeeper", "maxSessionTimeout=10000");
    }

    @Test
    void replicatedRolesRestartAfterTheirTakeOverAndTheOthersAtOnce() {
        ClusterLayout layout = new ClusterLayout(Path.of("/d"));
        ClusterTopology topology = new ClusterTopology(layout, "java", "a.jar", Path.of("/d/conf/log4j2.properties"), "secret");
        // a broker's or a TaskManager's JVM start would take the CPU its survivors need to take over
        assertThat(topology.kafka(1, Path.of("/d/conf/kafka-1.properties")).firstRestartDelay()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(topology.kafkaController(1, Path.of("/d/conf/kafka-controller-1.properties")).firstRestartDelay())
                .isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(topology.taskManager(1, Path.of("/d/conf/flink"), new FlinkClusterConfig(layout)).firstRestartDelay())
                .isEqualTo(java.time.Duration.ofSeconds(15));
        // the JobManager's and Redis' restarts are the recovery; an edge, origin or gateway starts in a second
        assertThat(topology.redis().firstRestartDelay()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(topology.edge(1).firstRestartDelay()).isEqualTo(java.time.Duration.ofSeconds(1));
    }
}
