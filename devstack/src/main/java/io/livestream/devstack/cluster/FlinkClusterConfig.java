package io.livestream.devstack.cluster;

import io.livestream.devstack.flink.FlinkCluster;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Flink session cluster's config.yaml. Without the distribution's scripts nothing derives the TaskManager's
 * memory, so every component is explicit, and {@link #taskManagerJvmOptions()} sizes the JVM to match them.
 * Sized for a 2-core, 24 GiB box running a dozen other processes: small heaps, RocksDB holding the keyed state.
 */
public final class FlinkClusterConfig {
    /** All four jobs (parallelism 2, one slot-sharing group each) fit on one TaskManager while the other is gone. */
    public static final int SLOTS_PER_TASK_MANAGER = 8;
    public static final int PARALLELISM = 2;
    public static final long CHECKPOINT_INTERVAL_MS = 3_000;

    // TaskManager memory components (MiB); their sum is the process size Flink would compute from them
    static final int TM_FRAMEWORK_HEAP = 128;
    static final int TM_TASK_HEAP = 512;
    static final int TM_FRAMEWORK_OFF_HEAP = 128;
    static final int TM_TASK_OFF_HEAP = 256;
    static final int TM_MANAGED = 256;
    static final int TM_NETWORK = 64;
    static final int TM_METASPACE = 256;
    static final int TM_OVERHEAD = 192;
    static final int JM_HEAP = 512;

    private final ClusterLayout layout;

    public FlinkClusterConfig(ClusterLayout layout) {
        this.layout = layout;
    }

    public Map<String, String> entries() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", ClusterLayout.HOST);
        c.put("jobmanager.rpc.port", String.valueOf(ClusterLayout.JOBMANAGER_RPC_PORT));
        c.put("jobmanager.bind-host", ClusterLayout.HOST);
        c.put("blob.server.port", String.valueOf(ClusterLayout.BLOB_PORT));
        c.put("rest.address", ClusterLayout.HOST);
        c.put("rest.bind-address", "0.0.0.0");
        c.put("rest.port", String.valueOf(ClusterLayout.DASHBOARD_PORT));
        c.put("web.upload.dir", layout.flinkDir().resolve("uploads").toString());
        c.put("jobmanager.memory.heap.size", JM_HEAP + "m");
        c.put("jobmanager.memory.off-heap.size", "128m");
        c.put("jobmanager.memory.jvm-metaspace.size", "192m");
        c.put("jobmanager.memory.jvm-overhead.min", "128m");
        c.put("jobmanager.memory.jvm-overhead.max", "128m");
        c.put("taskmanager.host", ClusterLayout.HOST);
        c.put("taskmanager.bind-host", ClusterLayout.HOST);
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(SLOTS_PER_TASK_MANAGER));
        c.put("taskmanager.cpu.cores", "2");
        c.put("taskmanager.memory.framework.heap.size", TM_FRAMEWORK_HEAP + "m");
        c.put("taskmanager.memory.task.heap.size", TM_TASK_HEAP + "m");
        c.put("taskmanager.memory.framework.off-heap.size", TM_FRAMEWORK_OFF_HEAP + "m");
        c.put("taskmanager.memory.task.off-heap.size", TM_TASK_OFF_HEAP + "m");
        c.put("taskmanager.memory.managed.size", TM_MANAGED + "m");
        c.put("taskmanager.memory.network.min", TM_NETWORK + "m");
        c.put("taskmanager.memory.network.max", TM_NETWORK + "m");
        c.put("taskmanager.memory.jvm-metaspace.size", TM_METASPACE + "m");
        c.put("taskmanager.memory.jvm-overhead.min", TM_OVERHEAD + "m");
        c.put("taskmanager.memory.jvm-overhead.max", TM_OVERHEAD + "m");
        c.put("parallelism.default", String.valueOf(PARALLELISM));
        // spread the jobs over both TaskManagers (Flink 2 ignores the old cluster.evenly-spread-out-slots: every job
        // ran on one), so losing either is a real failover, and the tasks restart on a TaskManager already warm
        // with the same jobs instead of on an idle one that first loads their classes
        c.put("taskmanager.load-balance.mode", "SLOTS");
        c.put("state.backend.type", "rocksdb");
        // RocksDB writes an info log per state instance into Flink's log directory, a new one at every restore: a
        // failover run left a hundred of them among the processes' logs
        c.put("state.backend.rocksdb.log.dir", layout.rocksDbLogs().toString());
        c.put("execution.checkpointing.incremental", "true");
        c.put("execution.checkpointing.interval", CHECKPOINT_INTERVAL_MS + "ms");
        c.put("execution.checkpointing.dir", layout.checkpoints().toUri().toString());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        c.put("execution.checkpointing.tolerable-failed-checkpoints", "10");
        c.put("restart-strategy.type", "exponential-delay");
        // the cluster's default for jobs that set none; the platform's jobs set the same (JobCheckpointing)
        c.put("restart-strategy.exponential-delay.initial-backoff", "500ms");
        c.put("restart-strategy.exponential-delay.max-backoff", "2s");
        c.put("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
        c.put("restart-strategy.exponential-delay.reset-backoff-threshold", "30s");
        c.put("restart-strategy.exponential-delay.attempts-before-reset-backoff", "1000");
        // JobManager HA through ZooKeeper: the jobs live in the HA store, so a restarted JobManager recovers them (and
        // their latest checkpoints) itself instead of waiting for a resubmission; the TaskManagers find it through
        // ZooKeeper too. A killed JobManager's leadership lasts until its session expires (8 s), while the restarted
        // one starts its JVM: short enough to cost nothing, long enough that a starved JobManager keeps it.
        c.put("high-availability.type", "zookeeper");
        c.put("high-availability.zookeeper.quorum", ClusterLayout.HOST + ":" + ClusterLayout.ZOOKEEPER_PORT);
        c.put("high-availability.storageDir", layout.flinkHaDir().toUri().toString());
        c.put("high-availability.cluster-id", "/livestream");
        c.put("high-availability.zookeeper.client.session-timeout", "8000");
        c.put("high-availability.zookeeper.client.connection-timeout", "8000");
        c.put("high-availability.zookeeper.client.retry-wait", "500");
        // in HA mode the JobManager's RPC port is random unless fixed
        c.put("high-availability.jobmanager.port", String.valueOf(ClusterLayout.JOBMANAGER_RPC_PORT));
        // a TaskManager that lost its JobManager registers with the new one within a second or two
        c.put("cluster.registration.max-timeout", "2000");
        c.put("cluster.registration.error-delay", "1000");
        c.put("cluster.registration.refused-registration-delay", "1000");
        // a SIGKILLed TaskManager is noticed at its first failed heartbeat RPC (its port refuses: ~1 s), so the
        // timeout itself, which only catches a hung process, can stay long enough that a CPU-starved one (a dozen
        // processes on two cores) is not declared dead and every job restarted with it
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "15000");
        c.put("heartbeat.rpc-failure-threshold", "1");
        // JNI libraries load once per JVM: FFmpeg comes from the cluster's class path, not the job jar's loader
        c.put("classloader.parent-first-patterns.additional", "org.bytedeco.");
        // the jobs' metrics for Prometheus: the JobManager's port here, each TaskManager's in its dynamic properties
        c.putAll(FlinkCluster.prometheusReporter(ClusterLayout.JOBMANAGER_METRICS_PORT));
        return c;
    }

    /** The config.yaml text: flat keys, as the distribution's config.yaml also accepts. */
    public String configYaml() {
        return entries().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n", "# generated by ./livestream cluster up on every start\n", "\n"));
    }

    /** The distribution's env.java.opts.all: Flink (the DataStream translators, Kryo) reflects into the JDK. */
    static final List<String> JAVA_MODULE_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** What the distribution's scripts would pass to the TaskManager JVM for the memory above. */
    public static List<String> taskManagerJvmOptions() {
        int heap = TM_FRAMEWORK_HEAP + TM_TASK_HEAP;
        int direct = TM_FRAMEWORK_OFF_HEAP + TM_TASK_OFF_HEAP + TM_NETWORK;
        List<String> options = new java.util.ArrayList<>(List.of("-Xms" + heap + "m", "-Xmx" + heap + "m",
                "-XX:MaxDirectMemorySize=" + direct + "m", "-XX:MaxMetaspaceSize=" + TM_METASPACE + "m"));
        options.addAll(JAVA_MODULE_OPTIONS);
        return options;
    }

    public static List<String> jobManagerJvmOptions() {
        List<String> options = new java.util.ArrayList<>(List.of("-Xms" + JM_HEAP + "m", "-Xmx" + JM_HEAP + "m", "-XX:MaxMetaspaceSize=192m"));
        options.addAll(JAVA_MODULE_OPTIONS);
        return options;
    }

    /** Per-TaskManager settings given as dynamic properties, so both share one config directory. */
    public List<String> taskManagerDynamicProperties(int index) {
        return List.of("-Dtaskmanager.resource-id=taskmanager-" + index,
                "-Dtaskmanager.rpc.port=" + ClusterLayout.TASKMANAGER_RPC_PORTS.get(index - 1),
                "-Dtaskmanager.data.port=" + ClusterLayout.TASKMANAGER_DATA_PORTS.get(index - 1),
                "-Dmetrics.reporter.prom.port=" + ClusterLayout.TASKMANAGER_METRICS_PORTS.get(index - 1),
                "-Dio.tmp.dirs=" + taskManagerTmpDir(index));
    }

    public Path taskManagerTmpDir(int index) {
        return layout.flinkDir().resolve("tmp-taskmanager-" + index);
    }
}
