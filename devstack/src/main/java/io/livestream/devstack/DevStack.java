package io.livestream.devstack;

import io.livestream.common.json.Json;
import io.livestream.common.lifecycle.Closer;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.devstack.flink.FlinkCluster;
import io.livestream.devstack.infra.Infrastructure;
import io.livestream.edge.RtmpEdgeMain;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.chat.ChatGateway;
import io.livestream.chat.ChatGatewayConfig;
import io.livestream.common.time.Clock;
import io.livestream.jobs.AudienceJob;
import io.livestream.jobs.ChatJob;
import io.livestream.jobs.HealthJob;
import io.livestream.jobs.TranscodeJob;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.http.OriginConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.JobID;
import org.apache.flink.util.ParameterTool;
import redis.clients.jedis.RedisClient;

/**
 * The whole platform in one process: embedded Kafka and Redis, a Flink MiniCluster (with its dashboard) running
 * the jobs, the RTMP edge and the HLS origin. {@code ./livestream up} runs this; Ctrl-C stops it all cleanly and
 * everything it keeps (Kafka, Redis, checkpoints) lives under the data directory, so a restart picks up where it was.
 */
public final class DevStack implements AutoCloseable {
    static final String DEMO_FILE = "demo-stream.json";
    /** One subtask per topic partition: more would only contend for the two cores. */
    static final int PARALLELISM = 2;
    /** How long a dropped publisher may take to come back and continue the same session (OBS retries after a blip). */
    static final long RECONNECT_GRACE_MS = StreamRegistry.DEFAULT_RECONNECT_GRACE_MS;

    private final DevStackConfig config;
    private final Closer started = new Closer(e -> System.err.println("while stopping: " + e));
    private Infrastructure infra;
    private StreamRegistry registry;
    private RtmpEdgeMain edge;
    private HlsOrigin origin;
    private FlinkCluster flink;
    private ChatGateway chat;

    public DevStack(DevStackConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        DevStackConfig config;
        try {
            config = DevStackConfig.parse(args, System.getenv());
            checkPortsFree(config);
        } catch (IllegalArgumentException e) {
            System.err.println("livestream up: " + e.getMessage());
            System.err.println(DevStackConfig.USAGE);
            System.exit(2);
            return;
        }
        DevStack stack = new DevStack(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping...");
            stack.close();
            stopped.countDown();
        }, "livestream-shutdown"));
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("livestream up failed: " + e);
            System.exit(1);
        }
        System.out.println(stack.readyBanner());
        stopped.await();
    }

    public void start() throws Exception {
        Files.createDirectories(config.dataDir());
        progress(1, "Kafka and Redis (data in " + config.dataDir() + ")");
        infra = Infrastructure.start(config.infra());
        started.add(infra);
        RedisClient redis = RedisClient.create(URI.create(infra.redisUri()));
        started.add(redis);
        KafkaStreamEventPublisher events = new KafkaStreamEventPublisher(infra.bootstrapServers());
        started.add(events);
        registry = new StreamRegistry(redis, events, Clock.SYSTEM, StreamRegistry.DEFAULT_KEY_PREFIX, RECONNECT_GRACE_MS);

        progress(2, "Flink MiniCluster with the transcode, stream-health, chat and audience jobs");
        flink = FlinkCluster.start(config.dashboardPort(), 8);
        started.add(flink);
        ParameterTool jobArgs = ParameterTool.fromMap(Map.of(
                "bootstrap", infra.bootstrapServers(),
                "redis", infra.redisUri(),
                "key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX,
                "ladder", config.ladder(),
                "preset", config.preset(),
                // the transcoder ends a session's playlists (ENDLIST) only once the reconnect grace is over
                "idle-timeout-ms", String.valueOf(RECONNECT_GRACE_MS),
                "checkpoint-dir", config.dataDir().resolve("flink-checkpoints").toUri().toString()));
        List<JobID> jobs = List.of(
                flink.submit(TranscodeJob.JOB_NAME, FlinkCluster.withParallelism(TranscodeJob.jobConfiguration(jobArgs), PARALLELISM),
                        TranscodeJob.fromArgs(jobArgs)::build),
                flink.submit(HealthJob.JOB_NAME, FlinkCluster.withParallelism(HealthJob.jobConfiguration(jobArgs), PARALLELISM),
                        HealthJob.fromArgs(jobArgs)::build),
                flink.submit(ChatJob.JOB_NAME, FlinkCluster.withParallelism(HealthJob.jobConfiguration(jobArgs), PARALLELISM),
                        ChatJob.fromParams(jobArgs)::build),
                flink.submit(AudienceJob.JOB_NAME, FlinkCluster.withParallelism(HealthJob.jobConfiguration(jobArgs), PARALLELISM),
                        AudienceJob.fromParams(jobArgs)::build));
        // the jobs read from the live edge: a publish that starts before they run would lose its first GOP
        for (JobID job : jobs) flink.awaitRunning(job, Duration.ofSeconds(120));

        progress(3, "chat gateway on port " + config.chatPort() + ", HLS origin with the API and pages on " + config.httpPort());
        chat = new ChatGateway(ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(), chatTokenSecret())
                .withPort(config.chatPort()));
        int chatPort = chat.start();
        started.add(chat);
        origin = new HlsOrigin(HlsOriginConfig.defaults(infra.bootstrapServers())
                .withHttp(OriginConfig.DEFAULTS.withPort(config.httpPort()))
                .withApi(ApiConfig.defaults(infra.redisUri()).withPublicHost(config.publicHost(), config.rtmpPort(), config.httpPort())
                        .withReconnectGraceMs(RECONNECT_GRACE_MS))
                .withDvr(DvrConfig.defaults().withDirectory(config.dataDir().resolve("recordings")))
                .withWebPages(chatPort));
        origin.start();
        started.add(origin);

        progress(4, "RTMP edge on port " + config.rtmpPort());
        // the same edge service as in production: registry-backed keys, the reconnect sweeper, drops on API ends
        edge = new RtmpEdgeMain(new RtmpEdgeMain.Settings(infra.bootstrapServers(), infra.redisUri(), StreamRegistry.DEFAULT_KEY_PREFIX,
                RtmpEdgeConfig.defaults().withPorts(config.rtmpPort(), config.edgeMetricsPort()), "live", RECONNECT_GRACE_MS));
        edge.start();
        started.add(edge);
    }

    /** The chat tokens' HMAC key: CHAT_TOKEN_SECRET, else one made on the first start and kept in the data dir. */
    private String chatTokenSecret() throws IOException {
        String fromEnv = System.getenv("CHAT_TOKEN_SECRET");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        Path file = config.dataDir().resolve("chat-token-secret");
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            Files.writeString(file, java.util.HexFormat.of().formatHex(random));
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
        return Files.readString(file).trim();
    }

    /** The stream a new user can publish to right away: created on the first start, its key kept in the data dir. */
    public Map<String, String> demoStream() throws IOException {
        Path file = config.dataDir().resolve(DEMO_FILE);
        if (Files.exists(file)) {
            @SuppressWarnings("unchecked")
            Map<String, String> saved = Json.fromBytes(Files.readAllBytes(file), Map.class);
            Optional<?> stream = registry.get(saved.get("id"));
            if (stream.isPresent() && registry.findByKey(saved.get("key")).isPresent()) return saved;
        }
        CreatedStream created = registry.create("Demo stream", "demo", null);
        Map<String, String> demo = new LinkedHashMap<>();
        demo.put("id", created.stream().id());
        demo.put("key", created.streamKey());
        Files.write(file, Json.toBytes(demo));
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return demo;
    }

    String readyBanner() throws Exception {
        Map<String, String> demo = demoStream();
        String host = config.publicHost();
        String ingestBase = "rtmp://" + host + ":" + edge.port() + "/live";
        return """

                livestream is ready
                  RTMP ingest       %s   (stream key = the part after /live/)
                  HLS origin        http://%s:%d/          (pages: /, /console, /watch/<id>)
                  chat              ws://%s:%d/chat/<id>
                  Flink dashboard   %s
                  edge metrics      http://%s:%d/metrics
                  Kafka             %s     Redis %s

                demo stream %s
                  OBS:      Server %s   Stream Key %s
                            (Output: x264, CBR, keyframe interval 1-2 s)
                  ffmpeg:   ffmpeg -re -i input.mp4 -c:v libx264 -g 60 -c:a aac -f flv %s/%s
                  watch:    http://%s:%d/watch/%s
                  HLS:      http://%s:%d/live/%s/master.m3u8

                Ctrl-C stops everything; data is kept in %s
                """.formatted(ingestBase, host, origin.port(), host, chat.port(), flink.dashboard(), host, edge.metricsPort(),
                infra.bootstrapServers(), infra.redisUri(),
                demo.get("id"), ingestBase, demo.get("key"), ingestBase, demo.get("key"),
                host, origin.port(), demo.get("id"), host, origin.port(), demo.get("id"), config.dataDir());
    }

    /** Fails fast, naming the port, when something already listens where we are about to. */
    static void checkPortsFree(DevStackConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("RTMP (--rtmp-port)", config.rtmpPort());
        ports.put("HTTP origin (--http-port)", config.httpPort());
        ports.put("Flink dashboard (--dashboard-port)", config.dashboardPort());
        ports.put("edge metrics (--metrics-port)", config.edgeMetricsPort());
        ports.put("chat gateway (--chat-port)", config.chatPort());
        if (config.infra().externalKafka() == null) ports.put("Kafka (--kafka-port)", config.infra().kafkaPort());
        if (config.infra().externalRedis() == null) ports.put("Redis (--redis-port)", config.infra().redisPort());
        ports.forEach((what, port) -> {
            if (port == 0) return;
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                throw new IllegalArgumentException("port " + port + " for " + what + " is already in use; "
                        + "stop what uses it or choose another port");
            }
        });
    }

    private static void progress(int step, String what) {
        System.out.println("[" + step + "/4] starting " + what + "...");
    }

    public StreamRegistry registry() {
        return registry;
    }

    public int rtmpPort() {
        return edge.port();
    }

    public int httpPort() {
        return origin.port();
    }

    @Override
    public void close() {
        started.close();
    }
}
