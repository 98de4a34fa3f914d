package io.livestream.devstack.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (combined KRaft broker + controller) running in this JVM. The directory is
 * formatted once, like {@code kafka-storage.sh format --standalone}; a restart on the same directory keeps
 * topics and records. The controller port is remembered in the directory, because the standalone voter set
 * recorded at format time names it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static boolean exitRefused;

    private final Path dir;
    private final int port;
    private final KafkaRaftServer server;

    private EmbeddedKafka(Path dir, int port, KafkaRaftServer server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /**
     * Starts a broker whose logs live under {@code dir}, listening on {@code port} (0 = a free port), and
     * returns once it answers admin requests.
     */
    public static EmbeddedKafka start(Path dir, int port) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            refuseJvmExit();
            ensureNotInUse(logDir(dir));
            int brokerPort = FreePorts.pick(port);
            int controllerPort = controllerPort(dir);
            if (FreePorts.isListening(HOST, controllerPort, 200)) {
                throw new IllegalStateException("kafka controller port " + controllerPort + " (kept in " + dir
                        + "/controller.port since the directory was formatted) is taken by another process");
            }
            Properties props = serverProperties(dir, brokerPort, controllerPort);
            Path propsFile = dir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propsFile)) {
                props.store(out, "written by EmbeddedKafka on every start");
            }
            boolean formatted = Files.exists(logDir(dir).resolve("meta.properties"));
            if (!formatted) format(propsFile);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            try {
                server.startup();
                awaitReady(HOST + ":" + brokerPort);
            } catch (RuntimeException e) {
                server.shutdown();
                throw e;
            }
            LOG.info("kafka {} at {}:{} in {} ms, data in {}", formatted ? "restarted" : "formatted and started",
                    HOST, brokerPort, (System.nanoTime() - started) / 1_000_000, dir);
            return new EmbeddedKafka(dir, brokerPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare kafka directory " + dir, e);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("kafka at {} stopped", bootstrapServers());
    }

    static Properties serverProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("log.dirs", logDir(dir).toString());
        // one node: internal topics cannot have more than one replica, or consumers and transactions stall
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        KafkaServerSizing.applyTo(p::put);
        return p;
    }

    /**
     * Kafka ends the process (Exit.exit / Exit.halt) on fatal start errors; in-process that would take the
     * whole dev stack or test JVM down, so it becomes an exception in the thread that hit the error.
     */
    private static synchronized void refuseJvmExit() {
        if (exitRefused) return;
        Exit.setExitProcedure((code, message) -> {
            LOG.error("kafka asked to exit the JVM ({}): {}", code, message);
            throw new IllegalStateException("embedded kafka failed (exit " + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            LOG.error("kafka asked to halt the JVM ({}): {}", code, message);
            throw new IllegalStateException("embedded kafka failed (halt " + code + "): " + message);
        });
        exitRefused = true;
    }

    /** Kafka holds a file lock on each log dir; checking it first gives a clear message instead of a fatal exit. */
    private static void ensureNotInUse(Path logDir) throws IOException {
        Path lockFile = logDir.resolve(".lock");
        if (!Files.exists(lockFile)) return;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) throw new IllegalStateException(inUse(logDir));
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(inUse(logDir));
        }
    }

    private static String inUse(Path logDir) {
        return "kafka data directory " + logDir + " is in use by another running broker";
    }

    private static Path logDir(Path dir) {
        return dir.resolve("logs");
    }

    private static int controllerPort(Path dir) throws IOException {
        Path file = dir.resolve("controller.port");
        if (Files.exists(file)) return Integer.parseInt(Files.readString(file).trim());
        int chosen = FreePorts.pick(0);
        Files.writeString(file, chosen + "\n");
        return chosen;
    }

    private static void format(Path propsFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--standalone", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()};
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(args, out);
        } catch (Exception e) {
            throw new IllegalStateException("formatting kafka storage failed: " + e.getMessage(), e);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting kafka storage failed (" + status + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void awaitReady(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("kafka at " + bootstrapServers + " did not become ready", e);
        }
    }
}
