package io.livestream.devstack.flink;

import java.net.URI;
import java.time.Duration;
import org.apache.flink.runtime.execution.ExecutionState;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flink MiniCluster with its web dashboard, running every job of the platform side by side, as a session
 * cluster would in production. Jobs are built into their own environment and submitted as execution plans.
 */
public final class FlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);

    private final MiniCluster miniCluster;

    private FlinkCluster(MiniCluster miniCluster) {
        this.miniCluster = miniCluster;
    }

    /** The Prometheus reporter's settings (flink-metrics-prometheus): the jobs' metrics as text on {@code port}'s /metrics. */
    public static Map<String, String> prometheusReporter(int port) {
        Map<String, String> reporter = new java.util.LinkedHashMap<>();
        reporter.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        reporter.put("metrics.reporter.prom.port", String.valueOf(port));
        return reporter;
    }

    /** @param dashboardPort the REST / web UI port, 0 for a free one */
    public static FlinkCluster start(int dashboardPort, int slots) throws Exception {
        return start(dashboardPort, slots, -1);
    }

    /**
     * @param dashboardPort the REST / web UI port, 0 for a free one
     * @param metricsPort where the Prometheus reporter serves the jobs' metrics; -1 for no reporter
     */
    public static FlinkCluster start(int dashboardPort, int slots, int metricsPort) throws Exception {
        Configuration config = metricsPort < 0 ? new Configuration() : Configuration.fromMap(prometheusReporter(metricsPort));
        config.set(RestOptions.PORT, dashboardPort);
        config.set(RestOptions.BIND_ADDRESS, "0.0.0.0");
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // RocksDB gets its write buffers from managed memory: the 128 MB default split over the slots starves it
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(512));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        LOG.info("Flink MiniCluster started, dashboard at {}", cluster.getRestAddress().get());
        return new FlinkCluster(cluster);
    }

    public static Configuration withParallelism(Configuration jobConfig, int parallelism) {
        jobConfig.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        return jobConfig;
    }

    public URI dashboard() throws Exception {
        return miniCluster.getRestAddress().get();
    }

    /** Builds a job graph into a fresh environment configured with {@code jobConfig} and submits it. */
    public JobID submit(String jobName, Configuration jobConfig, Consumer<StreamExecutionEnvironment> graph) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfig);
        graph.accept(env);
        StreamGraph plan = env.getStreamGraph();
        plan.setJobName(jobName);
        JobID id = miniCluster.submitJob(plan).get().getJobID();
        LOG.info("job {} submitted ({})", jobName, id);
        return id;
    }

    /** Waits until every task of the job runs, so a live source does not miss what comes next. */
    public void awaitRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (miniCluster.getExecutionGraph(job).get().getAllExecutionVertices().iterator().hasNext()) {
            boolean allRunning = true;
            for (var vertex : miniCluster.getExecutionGraph(job).get().getAllExecutionVertices()) {
                allRunning &= vertex.getExecutionState() == ExecutionState.RUNNING;
            }
            if (allRunning) return;
            if (System.nanoTime() > deadline) throw new IllegalStateException("job " + job + " not running after " + timeout);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        miniCluster.closeAsync().get();
    }
}
