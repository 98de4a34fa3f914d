package io.livestream.devstack;

import io.livestream.common.json.Json;
import io.livestream.common.lifecycle.Closer;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.devstack.flink.FlinkCluster;
import io.livestream.devstack.infra.EmbeddedRedis;
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
import io.livestream.jobs.checkpoint.JobCheckpointing;
import io.livestream.jobs.checkpoint.RetainedCheckpoints;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.tls.SelfSignedCertificates;
import io.livestream.origin.tls.TlsConfig;
import io.livestream.origin.http.OriginConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.JobID;
import org.apache.flink.util.ParameterTool;
import io.livestream.common.admin.AdminTokenFile;
import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.admin.AdminTokens;
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
    private final Map<String, String> env;
    private AdminTokens.Outcome adminToken;

    public DevStack(DevStackConfig config) {
        this(config, System.getenv());
    }

    /** @param env where {@value AdminTokens#ENV} is read from */
    public DevStack(DevStackConfig config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    /** The operator token, when this process knows it (made now, read from data/admin.token, or from the environment). */
    public Optional<String> adminToken() {
        return adminToken == null ? Optional.empty() : adminToken.token();
    }

    public static void main(String[] args) throws Exception {
        DevStackConfig config;
        try {
            config = DevStackConfig.parse(args, System.getenv());
            // after a SIGKILL our redis-server child outlives us, holding its port: it is ours, stop it first
            if (config.infra().externalRedis() == null) EmbeddedRedis.stopOrphan(config.infra().redisDir());
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
        adminToken = AdminTokens.ensure(new AdminTokenStore(redis, StreamRegistry.DEFAULT_KEY_PREFIX), env.get(AdminTokens.ENV), adminTokenFile());
        if (adminToken.problem() != null) System.err.println("operator token: " + adminToken.problem());

        progress(2, "Flink MiniCluster with the transcode, stream-health, chat and audience jobs");
        flink = FlinkCluster.start(config.dashboardPort(), 8, config.flinkMetricsPort());
        started.add(flink);
        ParameterTool jobArgs = ParameterTool.fromMap(Map.of(
                "bootstrap", infra.bootstrapServers(),
                "redis", infra.redisUri(),
                "key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX,
                "ladder", config.ladder(),
                "preset", config.preset(),
                // a dropped publisher's playlists end (ENDLIST) when its reconnect grace is over, as its session does
                "idle-timeout-ms", String.valueOf(RECONNECT_GRACE_MS),
                "reconnect-grace-ms", String.valueOf(RECONNECT_GRACE_MS),
                // one process: after a restart its edge (and so every publisher of the backlog) died with it, so
                // nothing is live to catch up with; the backlog is transcoded whole and the recordings stay complete
                "catch-up-lag-ms", "0",
                // and silence after a restart is real from the first moment: no publisher outlived the process
                "restore-input-allowance-ms", "0",
                "checkpoint-dir", checkpointDir()));
        // a job with no checkpoint to restore starts at this start's live edge, not at whatever offsets its consumer
        // group once committed (a Kafka shared with other runs would hand it their backlog); a restored job's
        // offsets come from its checkpoint, which these do not override
        String now = String.valueOf(System.currentTimeMillis());
        jobArgs = jobArgs.mergeWith(ParameterTool.fromMap(Map.of(
                "start-timestamp-ms", now, "chat-start-timestamp", now, "heartbeat-start-timestamp", now,
                "part-target-ms", String.valueOf(config.partTargetMs()))));
        List<JobID> jobs = List.of(
                submitJob(TranscodeJob.JOB_NAME, TranscodeJob.jobConfiguration(jobArgs), TranscodeJob.fromArgs(jobArgs)::build),
                submitJob(HealthJob.JOB_NAME, HealthJob.jobConfiguration(jobArgs), HealthJob.fromArgs(jobArgs)::build),
                submitJob(ChatJob.JOB_NAME, ChatJob.jobConfiguration(jobArgs), ChatJob.fromParams(jobArgs)::build),
                submitJob(AudienceJob.JOB_NAME, AudienceJob.jobConfiguration(jobArgs), AudienceJob.fromParams(jobArgs)::build));
        // the jobs read from the live edge: a publish that starts before they run would lose its first GOP
        for (JobID job : jobs) flink.awaitRunning(job, Duration.ofSeconds(120));

        progress(3, "chat gateway on port " + config.chatPort() + ", HLS origin with the API and pages on " + config.httpPort());
        chat = new ChatGateway(ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(), chatTokenSecret())
                .withPort(config.chatPort()));
        int chatPort = chat.start();
        started.add(chat);
        HlsOriginConfig originConfig = HlsOriginConfig.defaults(infra.bootstrapServers())
                .withHttp(OriginConfig.DEFAULTS.withPort(config.httpPort()))
                .withApi(ApiConfig.defaults(infra.redisUri()).withPublicHost(config.publicHost(), config.rtmpPort(), config.httpPort())
                        .withReconnectGraceMs(RECONNECT_GRACE_MS).withMaxStreamsPerBroadcaster(config.maxStreamsPerBroadcaster()))
                .withDvr(DvrConfig.defaults().withDirectory(config.dataDir().resolve("recordings")))
                .withWebPages(chatPort)
                .withChatGateway(java.net.URI.create("http://127.0.0.1:" + chatPort)); // chat routes answer on the API port too
        if (config.httpsPort() >= 0) originConfig = originConfig.withTls(selfSignedTls());
        origin = new HlsOrigin(originConfig);
        origin.start();
        started.add(origin);

        progress(4, "RTMP edge on port " + config.rtmpPort());
        // the same edge service as in production: registry-backed keys, the reconnect sweeper, drops on API ends
        edge = new RtmpEdgeMain(new RtmpEdgeMain.Settings(infra.bootstrapServers(), infra.redisUri(), StreamRegistry.DEFAULT_KEY_PREFIX,
                RtmpEdgeConfig.defaults().withPorts(config.rtmpPort(), config.edgeMetricsPort()), "live", RECONNECT_GRACE_MS,
                config.maxLivePerBroadcaster()));
        edge.start();
        started.add(edge);
    }

    /**
     * Submits a job, restored from its latest retained checkpoint when there is one, so that its state and its Kafka
     * offsets move together: a stream that ended while the platform was down stays ended, and nothing already
     * transcoded is transcoded again.
     */
    private JobID submitJob(String name, Configuration jobConfig, Consumer<StreamExecutionEnvironment> graph) throws Exception {
        String checkpointDir = checkpointDir();
        Optional<RetainedCheckpoints.Checkpoint> latest = JobCheckpointing.latestLocal(checkpointDir, name);
        latest.ifPresent(checkpoint -> {
            JobCheckpointing.restoreFrom(jobConfig, checkpoint);
            RetainedCheckpoints.deleteOlderRuns(Path.of(URI.create(JobCheckpointing.jobDirectory(checkpointDir, name))), checkpoint);
            System.out.println("      " + name + ": restoring from checkpoint " + checkpoint.id() + " of " + Instant.ofEpochMilli(checkpoint.completedAtMs()));
        });
        return flink.submit(name, FlinkCluster.withParallelism(jobConfig, PARALLELISM), graph);
    }

    private String checkpointDir() {
        return config.dataDir().toAbsolutePath().resolve("flink-checkpoints").toUri().toString();
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

    /** HTTPS for the dev stack: a self-signed certificate for localhost, made once in DIR/tls. */
    private TlsConfig selfSignedTls() throws java.io.IOException {
        return SelfSignedCertificates.inDirectory(config.dataDir().resolve("tls"), config.httpsPort());
    }

    String readyBanner() throws Exception {
        Map<String, String> demo = demoStream();
        String host = config.publicHost();
        String ingestBase = "rtmp://" + host + ":" + edge.port() + "/live";
        return """

                livestream is ready
                  RTMP ingest       %s   (stream key = the part after /live/)
                  HLS origin        http://%s:%d/          (pages: /, /console, /watch/<id>)
                                    %s
                  chat              ws://%s:%d/chat/<id>
                  Flink dashboard   %s
                  metrics           http://%s:%d/metrics (origin)  http://%s:%d/metrics (chat)  http://%s:%d/metrics (edge)
                                    http://%s:%d/metrics (Flink jobs)
                  Kafka             %s     Redis %s

                demo stream %s
                  OBS:      Server %s   Stream Key %s
                            (Output: x264, CBR, keyframe interval 1-2 s)
                  ffmpeg:   ffmpeg -re -i input.mp4 -c:v libx264 -g 60 -c:a aac -f flv %s/%s
                  watch:    http://%s:%d/watch/%s
                  HLS:      http://%s:%d/live/%s/master.m3u8
                  DASH:     http://%s:%d/live/%s/manifest.mpd

                %s
                Ctrl-C stops everything; data is kept in %s
                """.formatted(ingestBase, host, origin.port(), httpsLine(host), host, chat.port(), flink.dashboard(), host, origin.port(), host, chat.port(), host, edge.metricsPort(),
                host, config.flinkMetricsPort(),
                infra.bootstrapServers(), infra.redisUri(),
                demo.get("id"), ingestBase, demo.get("key"), ingestBase, demo.get("key"),
                host, origin.port(), demo.get("id"), host, origin.port(), demo.get("id"), host, origin.port(), demo.get("id"),
                operatorTokenLine(), config.dataDir());
    }

    private String httpsLine(String host) {
        int https = origin.httpsPort();
        return https < 0 ? "(no HTTPS)" : "https://" + host + ":" + https + "/  (HTTP/2; self-signed: " + config.dataDir().resolve("tls/localhost.crt") + ")";
    }

    /** The operator token: in full the one time it is made, else where it is kept. */
    private String operatorTokenLine() {
        if (adminToken.created()) {
            return "operator token (shown once; kept in " + adminTokenFile() + ", mode 600): " + adminToken.token().orElseThrow()
                    + "\n  create and delete streams with Authorization: Bearer <token>; the console asks for it, or open"
                    + "\n  http://" + config.publicHost() + ":" + origin.port() + "/console#operator=" + adminToken.token().orElseThrow() + "\n";
        }
        if (AdminTokens.ENV.equals(adminToken.source())) return "operator token: from " + AdminTokens.ENV + "\n";
        return "operator token: in " + adminTokenFile() + " (Authorization: Bearer <token> to create and delete streams)\n";
    }

    Path adminTokenFile() {
        return config.dataDir().resolve(AdminTokenFile.NAME);
    }

    /** Fails fast, naming the port, when something already listens where we are about to. */
    static void checkPortsFree(DevStackConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("RTMP (--rtmp-port)", config.rtmpPort());
        ports.put("HTTP origin (--http-port)", config.httpPort());
        ports.put("Flink dashboard (--dashboard-port)", config.dashboardPort());
        ports.put("edge metrics (--metrics-port)", config.edgeMetricsPort());
        ports.put("chat gateway (--chat-port)", config.chatPort());
        if (config.flinkMetricsPort() > 0) ports.put("Flink metrics (--flink-metrics-port)", config.flinkMetricsPort());
        if (config.httpsPort() > 0) ports.put("HTTPS origin (--https-port)", config.httpsPort());
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

    /** The origin's HTTPS port (HTTP/2), -1 when HTTPS is off. */
    public int httpsPort() {
        return origin.httpsPort();
    }

    public int chatPort() {
        return chat.port();
    }

    public int edgeMetricsPort() {
        return edge.metricsPort();
    }

    /** Where the Flink Prometheus reporter serves the jobs' metrics; -1 when there is none. */
    public int flinkMetricsPort() {
        return config.flinkMetricsPort();
    }

    @Override
    public void close() {
        started.close();
    }
}
