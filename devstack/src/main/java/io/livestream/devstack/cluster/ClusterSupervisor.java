package io.livestream.devstack.cluster;

import io.livestream.common.cli.Flags;
import io.livestream.common.kafka.TopicBootstrap;
import io.livestream.common.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.livestream.common.admin.AdminTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's process supervisor, started in the background by {@code ./livestream cluster up}: starts every
 * process in dependency order, each once the ones before it are ready, creates the topics and submits the jobs,
 * then restarts whatever dies (see {@link SupervisedProcess}). The JobManager is highly available through
 * ZooKeeper: restarted, it recovers the jobs and their latest checkpoints from the HA store; a job it does not
 * recover is resubmitted from its latest retained checkpoint. SIGTERM stops everything, front door first.
 */
public final class ClusterSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSupervisor.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    static final int TOPIC_PARTITIONS = 2;

    private final ClusterLayout layout;
    private final Path jobJar;
    /** deploy/nginx/nginx.conf, the compose file's front door, which the cluster's nginx config is made from */
    private final Path nginxTemplate;
    private final String ladder;
    private final String preset;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "supervisor");
        thread.setDaemon(true);
        return thread;
    });
    /** Start order, grouped in tiers: a tier starts once the previous one is ready, and stops before it. */
    private final List<List<SupervisedProcess>> tiers = new ArrayList<>();
    private volatile boolean ready;
    private volatile String failure;
    private FlinkJobSubmitter submitter;
    /** How long a restarted JobManager gets to recover the jobs from its HA store before they are resubmitted. */
    static final Duration RECOVERY_WAIT = Duration.ofSeconds(60);

    ClusterSupervisor(ClusterLayout layout, Path jobJar, Path nginxTemplate, String ladder, String preset) {
        this.layout = layout;
        this.jobJar = jobJar;
        this.nginxTemplate = nginxTemplate;
        this.ladder = ladder;
        this.preset = preset;
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, System.getenv());
        ClusterLayout layout = new ClusterLayout(Path.of(flags.require("data-dir")).toAbsolutePath());
        Path jobJar = Path.of(flags.require("jobs-jar")).toAbsolutePath();
        String ladder = flags.get("ladder", ClusterJobs.DEFAULT_LADDER);
        String preset = flags.get("preset", "veryfast");
        Path nginxTemplate = Path.of(flags.get("nginx-template", "deploy/nginx/nginx.conf")).toAbsolutePath();
        flags.rejectUnknown();
        ClusterSupervisor supervisor = new ClusterSupervisor(layout, jobJar, nginxTemplate, ladder, preset);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.stopAll();
            stopped.countDown();
        }, "supervisor-shutdown"));
        try {
            supervisor.startAll();
        } catch (Exception e) {
            LOG.error("cluster start failed: {}", e.toString(), e);
            supervisor.failure = e.getMessage() == null ? e.toString() : e.getMessage();
            supervisor.writeState();
            System.exit(1);
        }
        stopped.await();
    }

    void startAll() throws Exception {
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.rocksDbLogs());
        Files.createDirectories(layout.conf());
        Files.createDirectories(layout.checkpoints());
        Files.createDirectories(layout.redisDir());
        Files.createDirectories(layout.recordings());
        Files.createDirectories(layout.flinkDir().resolve("uploads"));
        Files.createDirectories(layout.nginxDir().resolve("cache"));
        Path log4j = layout.conf().resolve("log4j2.properties");
        Files.writeString(log4j, ClusterLogging.LOG4J2_PROPERTIES);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ClusterTopology topology = new ClusterTopology(layout, java, System.getProperty("java.class.path"), log4j,
                ClusterSecrets.chatTokenSecret(layout.dataDir()));
        writeState();

        LOG.info("starting redis");
        startTier(List.of(topology.redis()));

        resetKafkaOfCombinedLayout();
        LOG.info("starting {} kafka controllers", ClusterLayout.BROKERS);
        List<ProcessSpec> controllers = new ArrayList<>();
        for (int i = 1; i <= ClusterLayout.BROKERS; i++) {
            Path props = kafkaNode("kafka-controller-" + i, layout.kafkaControllerDir(i), KafkaNodeConfig.controller(i, layout.kafkaControllerDir(i)));
            controllers.add(topology.kafkaController(i, props));
        }
        // a tier of their own: stopped after the brokers, whose controlled shutdown asks a controller
        startTier(controllers);
        LOG.info("starting {} kafka brokers", ClusterLayout.BROKERS);
        List<ProcessSpec> brokers = new ArrayList<>();
        for (int i = 1; i <= ClusterLayout.BROKERS; i++) {
            brokers.add(topology.kafka(i, kafkaNode("kafka-" + i, layout.kafkaDir(i), KafkaNodeConfig.broker(i, layout.kafkaDir(i)))));
        }
        List<SupervisedProcess> brokerProcesses = startTier(brokers);
        for (int i = 0; i < brokerProcesses.size(); i++) {
            int brokerId = i + 1; // KafkaNodeConfig.broker: node.id = index
            brokerProcesses.get(i).onDeath(() -> DeadBrokerFencing.unregister(ClusterLayout.bootstrapServers(), brokerId));
        }
        List<String> created = TopicBootstrap.ensureTopics(ClusterLayout.bootstrapServers(), TOPIC_PARTITIONS, Duration.ofMinutes(2));
        requireThreeReplicas();
        LOG.info("topics ready (replication factor 3, min.insync.replicas 2){}", created.isEmpty() ? "" : "; created " + created);

        LOG.info("starting zookeeper (the JobManager's high availability)");
        // a fresh HA store on every start: the jobs are submitted below from their retained checkpoints with the jar
        // just built, not recovered with the job graphs (and jar) of the previous run
        deleteRecursively(layout.zookeeperDir());
        deleteRecursively(layout.flinkHaDir());
        Files.createDirectories(layout.zookeeperDir());
        Path zooCfg = layout.conf().resolve("zoo.cfg");
        Files.writeString(zooCfg, topology.zooCfg());
        startTier(List.of(topology.zookeeper(zooCfg)));

        LOG.info("starting the Flink JobManager and {} TaskManagers", ClusterLayout.REPLICAS);
        FlinkClusterConfig flink = new FlinkClusterConfig(layout);
        Path flinkConf = layout.conf().resolve("flink");
        Files.createDirectories(flinkConf);
        Files.writeString(flinkConf.resolve("config.yaml"), flink.configYaml());
        submitter = new FlinkJobSubmitter("http://" + ClusterLayout.HOST + ":" + ClusterLayout.DASHBOARD_PORT, jobJar,
                RetainedCheckpointFinder.under(layout));
        startTier(List.of(topology.jobManager(flinkConf))).get(0).onRestartReady(this::resubmitJobsAfterRestart);
        List<ProcessSpec> taskManagers = new ArrayList<>();
        for (int i = 1; i <= ClusterLayout.REPLICAS; i++) taskManagers.add(topology.taskManager(i, flinkConf, flink));
        startTier(taskManagers);
        awaitTaskManagers(ClusterLayout.REPLICAS);
        LOG.info("submitted jobs {}", submitter.submitMissing(ClusterJobs.all(layout, ladder, preset)));
        // the jobs read from the live edge: a publish before they run would lose its first GOP
        awaitJobsRunning(READY_TIMEOUT);

        // before the origins answer: both check the one hash in the shared Redis, so either accepts the token
        AdminTokens.Outcome token = ClusterSecrets.adminToken(layout.dataDir());
        LOG.info("operator token from {}{}", token.created() ? "a new one in " + ClusterSecrets.adminTokenFile(layout.dataDir()) : token.source(),
                token.problem() == null ? "" : ": " + token.problem());

        LOG.info("starting origins, chat gateways and edges");
        // independent of each other: one tier, started together (a JVM start is slow on a busy box)
        startTier(List.of(topology.origin(1), topology.origin(2), topology.chatGateway(1), topology.chatGateway(2),
                topology.edge(1), topology.edge(2)));

        LOG.info("starting nginx on {}, {} and {}", ClusterLayout.RTMP_PORT, ClusterLayout.HTTP_PORT, ClusterLayout.CHAT_PORT);
        Path nginxConf = layout.nginxDir().resolve("nginx.conf");
        String compose = Files.readString(nginxTemplate);
        Files.writeString(nginxConf, new NginxClusterConfig(layout.nginxDir().resolve("cache")).render(compose));
        startTier(List.of(topology.balancer(nginxConf, "root".equals(System.getProperty("user.name")))));

        DemoStream.ensure(layout.dataDir());
        ready = true;
        writeState();
        LOG.info("cluster is up");
    }

    private List<SupervisedProcess> startTier(List<ProcessSpec> specs) throws Exception {
        List<SupervisedProcess> tier = new ArrayList<>();
        for (ProcessSpec spec : specs) {
            SupervisedProcess process = new SupervisedProcess(spec, layout.logFile(spec.role(), spec.index()), scheduler, this::writeState);
            tier.add(process);
        }
        tiers.add(tier);
        for (SupervisedProcess process : tier) process.start();
        for (SupervisedProcess process : tier) {
            if (!process.awaitReady(READY_TIMEOUT)) {
                throw new IllegalStateException(process.spec().name() + " did not become ready; see "
                        + layout.logFile(process.spec().role(), process.spec().index()));
            }
            LOG.info("{} ready (pid {}, ports {})", process.spec().name(), process.pid(), process.spec().ports());
        }
        return tier;
    }

    /**
     * Every partition of the platform's topics on three brokers: a topic of one replica loses its partitions with their
     * broker (as the cluster's did while the controllers had no default.replication.factor), so the start fails.
     */
    private static void requireThreeReplicas() throws Exception {
        List<String> names = Topics.all(TOPIC_PARTITIONS).stream().map(Topics.TopicSpec::name).toList();
        try (Admin admin = Admin.create(
                Map.of("bootstrap.servers", ClusterLayout.bootstrapServers()))) {
            List<String> underReplicated = new ArrayList<>();
            admin.describeTopics(names).allTopicNames().get(1, TimeUnit.MINUTES).forEach((name, topic) -> topic.partitions().forEach(p -> {
                if (p.replicas().size() < ClusterLayout.BROKERS) underReplicated.add(name + "-" + p.partition() + " (" + p.replicas().size() + ")");
            }));
            if (!underReplicated.isEmpty()) {
                throw new IllegalStateException("partitions with fewer than " + ClusterLayout.BROKERS + " replicas: " + underReplicated
                        + "; their Kafka data predates this layout: ./livestream cluster down, remove data/cluster/kafka-*, up again");
            }
        }
    }

    /** Writes a Kafka node's server.properties and formats its log directory the first time. */
    private Path kafkaNode(String name, Path logDir, KafkaNodeConfig config) throws Exception {
        Path props = layout.conf().resolve(name + ".properties");
        Files.createDirectories(logDir);
        Files.writeString(props, config.serverProperties());
        if (!Files.exists(logDir.resolve("meta.properties"))) formatKafkaStorage(props);
        return props;
    }

    /**
     * Data of the earlier layout, three combined broker+controller nodes, holds a metadata log of another quorum: the
     * dedicated controllers could not take it over, so that Kafka data starts afresh (streams, keys and recordings
     * are in Redis and on disk, not in Kafka).
     */
    private void resetKafkaOfCombinedLayout() throws IOException {
        if (Files.exists(layout.kafkaControllerDir(1)) || !Files.exists(layout.kafkaDir(1).resolve("meta.properties"))) return;
        LOG.warn("the cluster's Kafka data is of the combined broker+controller layout: starting it afresh with dedicated controllers");
        for (int i = 1; i <= ClusterLayout.BROKERS; i++) deleteRecursively(layout.kafkaDir(i));
    }

    /** kafka-storage.sh format, in this JVM (a JVM per broker just for this costs seconds on a busy box). */
    private static void formatKafkaStorage(Path serverProperties) throws Exception {
        java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
        int status;
        try (java.io.PrintStream out = new java.io.PrintStream(output, true, java.nio.charset.StandardCharsets.UTF_8)) {
            status = kafka.tools.StorageTool.execute(new String[] {"format", "--ignore-formatted", "-t", KafkaNodeConfig.CLUSTER_ID,
                    "-c", serverProperties.toString()}, out);
        }
        if (status != 0) throw new IllegalStateException("formatting kafka storage failed (" + status + "): " + output);
        LOG.info("kafka storage formatted for {}", serverProperties.getFileName());
    }

    private void awaitTaskManagers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (submitter.registeredTaskManagers() >= count) return;
            } catch (IOException e) {
                // the JobManager is still coming up
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("fewer than " + count + " TaskManagers registered with the JobManager");
    }

    private void awaitJobsRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> states = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                states = submitter.jobStates();
                if (states.size() >= 4 && states.values().stream().allMatch("RUNNING"::equals)) return;
            } catch (IOException e) {
                // retried below
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the jobs are not all running: " + states);
    }

    /**
     * A restarted JobManager recovers the jobs from the HA store by itself; any job still missing after
     * {@link #RECOVERY_WAIT} (an HA store lost with ZooKeeper's data) is submitted again from its retained checkpoint.
     */
    private void resubmitJobsAfterRestart() {
        try {
            awaitTaskManagers(1);
            List<ClusterJobs.Job> jobs = ClusterJobs.all(layout, ladder, preset);
            long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
            Set<String> active = Set.of();
            while (System.nanoTime() < deadline) {
                active = submitter.activeJobNames();
                if (active.size() >= jobs.size()) break;
                Thread.sleep(500);
            }
            if (active.size() >= jobs.size()) {
                LOG.info("after the JobManager restart: it recovered the jobs {} from the HA store", active);
            } else {
                LOG.info("after the JobManager restart: recovered {}, resubmitted {}", active, submitter.submitMissing(jobs));
            }
        } catch (Exception e) {
            LOG.error("recovering the jobs after the JobManager restart failed: {}", e.toString());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }

    synchronized void writeState() {
        List<ClusterState.Entry> entries = tiers.stream().flatMap(List::stream).map(SupervisedProcess::entry).toList();
        try {
            new ClusterState(ProcessHandle.current().pid(), ready, failure, entries).write(layout.stateFile());
        } catch (IOException e) {
            LOG.error("cannot write {}: {}", layout.stateFile(), e.toString());
        }
    }

    void stopAll() {
        LOG.info("stopping the cluster");
        List<List<SupervisedProcess>> reversed = new ArrayList<>(tiers);
        java.util.Collections.reverse(reversed);
        for (List<SupervisedProcess> tier : reversed) {
            List<Thread> stopping = tier.stream().map(process -> {
                Thread thread = new Thread(() -> process.stop(STOP_GRACE), "stop-" + process.spec().name());
                thread.start();
                return thread;
            }).toList();
            for (Thread thread : stopping) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        ready = false;
        writeState();
        LOG.info("cluster stopped");
    }
}
