package io.livestream.devstack.cluster;

import io.livestream.common.admin.AdminTokens;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./livestream cluster up | status [--json] | down}. {@code up} starts the {@link ClusterSupervisor} in its
 * own session (it outlives this command and a Ctrl-C in the terminal), follows its log until the cluster is ready
 * and prints where everything is; {@code down} sends it SIGTERM and makes sure every process and port is gone.
 */
public final class ClusterCli {
    static final String USAGE = """
            usage: ./livestream cluster up [--ladder source,360p:800] [--preset veryfast]
                   ./livestream cluster status [--json]
                   ./livestream cluster down""";
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(12);
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(90);

    private final ClusterLayout layout;
    private final Path root;

    ClusterCli(Path root) {
        this.root = root;
        this.layout = ClusterLayout.under(root);
    }

    public static void main(String[] args) throws Exception {
        ClusterCli cli = new ClusterCli(Path.of("").toAbsolutePath());
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
        int code = switch (command) {
            case "up" -> cli.up(rest);
            case "status" -> cli.status(rest.contains("--json"));
            case "down" -> cli.down();
            default -> {
                System.err.println(USAGE);
                yield command.equals("help") ? 0 : 2;
            }
        };
        System.exit(code);
    }

    int up(List<String> flags) throws Exception {
        Optional<ClusterState> existing = ClusterState.read(layout.stateFile());
        if (existing.isPresent() && existing.get().supervisorAlive()) {
            System.out.println("the cluster is already running (supervisor pid " + existing.get().supervisorPid() + ")");
            return status(false);
        }
        List<Integer> busy = new ArrayList<>();
        for (int port : allPorts()) if (ReadinessCheck.isListening(port)) busy.add(port);
        if (!busy.isEmpty()) {
            System.err.println("cluster up: ports " + busy + " are in use; stop what uses them (./livestream up? another cluster?)");
            return 1;
        }
        Path jobJar = jobJar();
        Files.createDirectories(layout.logs());
        Files.deleteIfExists(layout.stateFile());
        long logStart = Files.exists(layout.supervisorLog()) ? Files.size(layout.supervisorLog()) : 0;
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) command.add("/usr/bin/setsid");
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ClusterSupervisor.class.getName(),
                "--data-dir", layout.dataDir().toString(), "--jobs-jar", jobJar.toString(),
                "--nginx-template", root.resolve("deploy/nginx/nginx.conf").toString()));
        command.addAll(flags);
        Process supervisor = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.supervisorLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        System.out.println("supervisor started (pid " + supervisor.pid() + "), log " + layout.supervisorLog());
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            logStart = echoNewLines(layout.supervisorLog(), logStart);
            Optional<ClusterState> state = ClusterState.read(layout.stateFile());
            if (state.isPresent() && state.get().ready()) {
                System.out.println(banner());
                return 0;
            }
            if (!supervisor.isAlive() && !(state.isPresent() && state.get().supervisorAlive())) {
                echoNewLines(layout.supervisorLog(), logStart);
                System.err.println("cluster up failed" + state.map(s -> s.failure() == null ? "" : ": " + s.failure()).orElse("")
                        + "; process logs are in " + layout.logs());
                return 1;
            }
            Thread.sleep(500);
        }
        System.err.println("the cluster did not come up within " + UP_TIMEOUT.toMinutes() + " min; stopping it");
        down();
        return 1;
    }

    int status(boolean json) {
        Optional<ClusterState> state = ClusterState.read(layout.stateFile());
        if (state.isEmpty()) {
            if (json) System.out.println("[]");
            else System.out.println("the cluster is not running (no " + layout.stateFile() + ")");
            return json ? 0 : 3;
        }
        List<ClusterStatus.Row> rows = ClusterStatus.rows(state.get());
        System.out.println(json ? ClusterStatus.json(rows) : ClusterStatus.table(state.get(), rows));
        return 0;
    }

    int down() throws InterruptedException {
        Optional<ClusterState> state = ClusterState.read(layout.stateFile());
        if (state.isPresent()) {
            Optional<ProcessHandle> supervisor = ProcessHandle.of(state.get().supervisorPid());
            if (supervisor.isPresent() && supervisor.get().isAlive()) {
                System.out.println("stopping the cluster (supervisor pid " + state.get().supervisorPid() + ")...");
                supervisor.get().destroy();
                try {
                    supervisor.get().onExit().get(DOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    System.err.println("the supervisor did not stop within " + DOWN_TIMEOUT.toSeconds() + " s: SIGKILL");
                    supervisor.get().destroyForcibly();
                }
            }
            // whatever outlived the supervisor (it was SIGKILLed, or a child ignored SIGTERM)
            for (ClusterState.Entry entry : ClusterState.read(layout.stateFile()).orElse(state.get()).processes()) {
                ProcessHandle.of(entry.pid()).filter(ProcessHandle::isAlive).ifPresent(process -> {
                    System.out.println("stopping leftover " + entry.role() + "-" + entry.index() + " (pid " + entry.pid() + ")");
                    process.destroy();
                    try {
                        process.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        process.destroyForcibly();
                    }
                });
            }
        }
        List<Integer> busy = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            busy.clear();
            for (int port : ClusterLayout.wellKnownPorts()) if (ReadinessCheck.isListening(port)) busy.add(port);
            if (busy.isEmpty()) break;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        if (!busy.isEmpty()) {
            System.err.println("cluster down: ports " + busy + " are still in use by processes the cluster did not start");
            return 1;
        }
        System.out.println(state.isPresent() ? "cluster stopped; data kept in " + layout.dataDir() : "the cluster was not running");
        return 0;
    }

    /**
     * The job jar without JavaCV: the TaskManagers have it on their own class path (parent-first, its natives load
     * once per JVM), so the fat jar's 50 MB of natives would only be shipped to them again on every job restart.
     */
    private Path jobJar() throws IOException {
        try (var files = Files.list(root.resolve("jobs/target"))) {
            return files.filter(file -> file.getFileName().toString().endsWith("-flink-job-slim.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jobs/target/jobs-*-flink-job-slim.jar: build with mvn -Pdist -pl jobs -am package"));
        }
    }

    private static List<Integer> allPorts() {
        List<Integer> ports = new ArrayList<>(ClusterLayout.wellKnownPorts());
        ports.addAll(ClusterLayout.KAFKA_CONTROLLER_PORTS);
        ports.addAll(ClusterLayout.TASKMANAGER_RPC_PORTS);
        ports.addAll(ClusterLayout.EDGE_PORTS);
        ports.addAll(ClusterLayout.ORIGIN_PORTS);
        ports.addAll(ClusterLayout.CHAT_GATEWAY_PORTS);
        ports.addAll(List.of(ClusterLayout.JOBMANAGER_RPC_PORT, ClusterLayout.BLOB_PORT, ClusterLayout.ZOOKEEPER_PORT));
        return ports;
    }

    /** Prints the supervisor's log lines written since {@code offset}; returns the new offset. */
    private static long echoNewLines(Path log, long offset) throws IOException {
        if (!Files.exists(log)) return offset;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            if (file.length() <= offset) return offset;
            file.seek(offset);
            byte[] bytes = new byte[(int) (file.length() - offset)];
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int lastNewline = text.lastIndexOf('\n');
            if (lastNewline < 0) return offset;
            System.out.print(text.substring(0, lastNewline + 1));
            return offset + text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
        }
    }

    String banner() throws IOException {
        Map<String, String> demo = DemoStream.read(layout.dataDir());
        String ingest = "rtmp://localhost:" + ClusterLayout.RTMP_PORT + "/live";
        return """

                livestream cluster is up (./livestream cluster status)
                  RTMP ingest       %s   (nginx -> 2 edges; stream key = the part after /live/)
                  HLS origin        http://localhost:%d/          (nginx cache -> 2 origins; pages: /, /console, /watch/<id>)
                  chat              ws://localhost:%d/chat/<id>   (nginx -> 2 gateways)
                  Flink dashboard   http://localhost:%d/          (1 JobManager, 2 TaskManagers)
                  Kafka             %s  (3 brokers, 3 KRaft controllers)     Redis %s

                demo stream %s
                  ffmpeg:   ffmpeg -re -i input.mp4 -c:v libx264 -g 60 -c:a aac -f flv %s/%s
                  watch:    http://localhost:%d/watch/%s
                  HLS:      http://localhost:%d/live/%s/master.m3u8

                operator token in %s (Authorization: Bearer <token> to create and delete streams; both origins accept it)

                ./livestream cluster down stops everything; data and logs are kept in %s
                """.formatted(ingest, ClusterLayout.HTTP_PORT, ClusterLayout.CHAT_PORT, ClusterLayout.DASHBOARD_PORT,
                ClusterLayout.bootstrapServers(), ClusterLayout.redisUri(), demo.get("id"), ingest, demo.get("key"),
                ClusterLayout.HTTP_PORT, demo.get("id"), ClusterLayout.HTTP_PORT, demo.get("id"),
                System.getenv(AdminTokens.ENV) != null ? AdminTokens.ENV : ClusterSecrets.adminTokenFile(layout.dataDir()), layout.dataDir());
    }
}
