package io.livestream.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkClusterConfigTest {
    private final ClusterLayout layout = new ClusterLayout(Path.of("/srv/ls/data/cluster"));
    private final FlinkClusterConfig config = new FlinkClusterConfig(layout);

    @Test
    void setsEveryTaskManagerMemoryComponentAsTheDistributionScriptsWould() {
        Map<String, String> entries = config.entries();
        assertThat(entries).containsKeys("taskmanager.cpu.cores", "taskmanager.memory.framework.heap.size", "taskmanager.memory.task.heap.size",
                "taskmanager.memory.framework.off-heap.size", "taskmanager.memory.task.off-heap.size", "taskmanager.memory.managed.size",
                "taskmanager.memory.network.min", "taskmanager.memory.network.max", "taskmanager.memory.jvm-metaspace.size",
                "taskmanager.memory.jvm-overhead.min", "taskmanager.memory.jvm-overhead.max");
        // the JVM is sized from the same numbers: heap = framework + task heap, direct = off-heaps + network
        assertThat(FlinkClusterConfig.taskManagerJvmOptions()).contains("-Xmx640m", "-XX:MaxDirectMemorySize=448m", "-XX:MaxMetaspaceSize=256m");
    }

    @Test
    void checkpointsIncrementallyToTheSharedDirEveryFewSecondsAndKeepsThemOnCancel() {
        assertThat(config.entries()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("state.backend.rocksdb.log.dir", "/srv/ls/data/cluster/logs/rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.interval", "3000ms")
                .containsEntry("execution.checkpointing.dir", "file:///srv/ls/data/cluster/checkpoints")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry("rest.port", "8081");
    }

    @Test
    void spreadsTheJobsOverBothTaskManagersWithFlink2sOption() {
        // Flink 2 dropped cluster.evenly-spread-out-slots without a word: every job ran on one TaskManager
        assertThat(config.entries()).containsEntry("taskmanager.load-balance.mode", "SLOTS")
                .doesNotContainKey("cluster.evenly-spread-out-slots");
        assertThat(org.apache.flink.configuration.TaskManagerOptions.TaskManagerLoadBalanceMode.valueOf(
                config.entries().get("taskmanager.load-balance.mode"))).isNotNull();
    }

    @Test
    void theJobManagerIsHighlyAvailableThroughTheClustersZooKeeper() {
        assertThat(config.entries()).containsEntry("high-availability.type", "zookeeper")
                .containsEntry("high-availability.zookeeper.quorum", "127.0.0.1:" + ClusterLayout.ZOOKEEPER_PORT)
                .containsEntry("high-availability.storageDir", "file:///srv/ls/data/cluster/flink-ha")
                .containsEntry("high-availability.jobmanager.port", "6123");
        // a killed JobManager's leadership must expire well within the 30 s a JobManager failover may take, and
        // within what zoo.cfg allows a session
        assertThat(Integer.parseInt(config.entries().get("high-availability.zookeeper.client.session-timeout"))).isLessThanOrEqualTo(10_000);
    }

    @Test
    void aKilledTaskManagerIsNoticedAtItsFirstFailedHeartbeatNotByATimeoutAStarvedOneWouldHit() {
        assertThat(config.entries()).containsEntry("heartbeat.rpc-failure-threshold", "1").containsEntry("heartbeat.interval", "1000");
        assertThat(Integer.parseInt(config.entries().get("heartbeat.timeout"))).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void allFourJobsFitOnOneTaskManager() {
        int slotsNeeded = ClusterJobs.all(layout, ClusterJobs.DEFAULT_LADDER, "veryfast").size() * FlinkClusterConfig.PARALLELISM;
        assertThat(Integer.parseInt(config.entries().get("taskmanager.numberOfTaskSlots"))).isGreaterThanOrEqualTo(slotsNeeded);
    }

    @Test
    void rendersFlatYaml() {
        assertThat(config.configYaml()).contains("\njobmanager.rpc.address: 127.0.0.1\n", "\nparallelism.default: 2\n");
        assertThat(config.taskManagerDynamicProperties(2)).contains("-Dtaskmanager.resource-id=taskmanager-2", "-Dtaskmanager.rpc.port=6132");
    }
}
