package io.livestream.origin;

import io.livestream.common.cli.Flags;
import io.livestream.origin.tls.TlsConfig;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.netguard.GuardFlags;
import io.livestream.origin.http.OriginConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.admin.AdminTokens;
import redis.clients.jedis.RedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A production origin on its own: the {@code live.media} consumer, HLS/LL-HLS, the control API and the recordings.
 * Run several behind a caching proxy; each reads every stream (its own consumer group), so any of them answers any
 * request. Origins may share one recordings directory (each writes the same files, atomically).
 *
 * <pre>
 * --bootstrap localhost:9092 --redis redis://localhost:6379 --key-prefix ls: --host 0.0.0.0 --port 8080
 * --public-host localhost --public-http-port (default --port) --rtmp-port 1935 --rtmp-app live --chat-port 8090
 * --recordings-dir data/recordings --dvr-window 2h --retention 7d --lookback 2m --reconnect-grace-ms 15000
 * --group-id (default unique per instance) --chat-gateway http://localhost:8090 (default none)
 * --max-connections-per-ip 1000 --max-connections 10000 --idle-timeout 60s --request-timeout 10s
 * --max-streams-per-broadcaster 0 (0: no limit) --admin-token-file data/admin.token (default none)
 * --tls-cert fullchain.pem --tls-key privkey.pem (PKCS#8) --https-port 8443 (HTTPS with HTTP/2; default off)
 * </pre>
 * Every flag falls back to {@code LIVESTREAM_<FLAG>}. {@code --public-host}, {@code --public-http-port} and
 * {@code --rtmp-port} are what broadcasters and viewers reach (the balancer's), used in the URLs the API returns.
 * {@code --chat-gateway} makes the chat routes answer on this port too (forwarded); behind nginx they never get here.
 * The operator token: {@code LIVESTREAM_ADMIN_TOKEN} sets it; otherwise the first origin to start on an empty Redis
 * makes one, prints it once on stdout and writes it to {@code --admin-token-file} if given ({@link AdminTokens}).
 */
public final class OriginMain {
    private static final Logger LOG = LoggerFactory.getLogger(OriginMain.class);

    /** The origin's settings from flags (and their {@code LIVESTREAM_*} environment fallbacks). */
    public static HlsOriginConfig configFrom(Flags flags) {
        String bootstrap = flags.get("bootstrap", "localhost:9092");
        int port = flags.port("port", OriginConfig.DEFAULTS.port());
        ApiConfig api = ApiConfig.defaults(flags.get("redis", "redis://localhost:6379"))
                .withKeyPrefix(flags.get("key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX))
                .withPublicHost(flags.get("public-host", "localhost"), flags.port("rtmp-port", 1935), flags.port("public-http-port", port))
                .withReconnectGraceMs(flags.number("reconnect-grace-ms", StreamRegistry.DEFAULT_RECONNECT_GRACE_MS));
        api = new ApiConfig(api.redisUri(), api.keyPrefix(), api.publicHost(), api.rtmpPort(), api.httpPort(),
                flags.get("rtmp-app", api.rtmpApp()), api.reconnectGraceMs(), flags.integer("max-streams-per-broadcaster", 0));
        DvrConfig defaults = DvrConfig.defaults();
        DvrConfig dvr = defaults
                .withDirectory(Path.of(flags.get("recordings-dir", defaults.directory().toString())))
                .withDvrWindow(flags.duration("dvr-window", defaults.dvrWindow()))
                .withRetention(flags.duration("retention", defaults.retention()));
        HlsOriginConfig config = HlsOriginConfig.defaults(bootstrap)
                .withHttp(OriginConfig.DEFAULTS.withHost(flags.get("host", OriginConfig.DEFAULTS.host())).withPort(port)
                        .withConnectionLimits(GuardFlags.connectionLimits(flags, OriginConfig.DEFAULT_CONNECTION_LIMITS))
                        .withTimeouts(GuardFlags.seconds(flags, "idle-timeout", OriginConfig.DEFAULTS.idleTimeoutSec()),
                                GuardFlags.seconds(flags, "request-timeout", OriginConfig.DEFAULTS.requestTimeoutSec())))
                .withLookback(flags.duration("lookback", HlsOriginConfig.DEFAULT_LOOKBACK))
                .withApi(api)
                .withDvr(dvr)
                // the pages' chat connects to this port of the host that served them (the compose file's nginx: 8090)
                .withWebPages(flags.port("chat-port", 8090));
        String chatGateway = flags.get("chat-gateway", null);
        if (chatGateway != null) config = config.withChatGateway(URI.create(chatGateway));
        String tokenFile = flags.get("admin-token-file", null);
        if (tokenFile != null) config = config.withAdminTokenFile(Path.of(tokenFile));
        String groupId = flags.get("group-id", null);
        if (groupId != null) config = config.withGroupId(groupId);
        String tlsCert = flags.get("tls-cert", null);
        String tlsKey = flags.get("tls-key", null);
        int httpsPort = flags.port("https-port", TlsConfig.DEFAULT_PORT);
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        if (tlsCert != null) config = config.withTls(new TlsConfig(httpsPort, Path.of(tlsCert), Path.of(tlsKey)));
        flags.rejectUnknown();
        return config;
    }

    public static void main(String[] args) throws Exception {
        HlsOriginConfig config;
        try {
            config = configFrom(Flags.parse(args, System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("hls-origin: " + e.getMessage());
            System.exit(2);
            return;
        }
        ensureAdminToken(config);
        HlsOrigin origin = new HlsOrigin(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            origin.close();
            LOG.info("origin stopped");
            stopped.countDown();
        }, "origin-shutdown"));
        int port = origin.start();
        LOG.info("origin ready on port {} (group {}), Kafka {}, Redis {}, recordings in {}", port, config.groupId(),
                config.bootstrapServers(), config.api().redisUri(), config.dvr().directory().toAbsolutePath());
        stopped.await();
    }

    /** The operator token exists before the API answers; shown once, on stdout only (never in a log file). */
    static void ensureAdminToken(HlsOriginConfig config) {
        try (RedisClient redis = RedisClient.create(URI.create(config.api().redisUri()))) {
            AdminTokens.Outcome outcome = AdminTokens.ensure(new AdminTokenStore(redis, config.api().keyPrefix()),
                    System.getenv(AdminTokens.ENV), config.adminTokenFile());
            if (outcome.problem() != null) LOG.warn("operator token: {}", outcome.problem());
            if (outcome.created()) {
                System.out.println("operator token (shown once" + (config.adminTokenFile() == null ? "" : ", kept in " + config.adminTokenFile())
                        + "): " + outcome.token().orElseThrow());
            }
            LOG.info("operator token from {}", outcome.created() ? "a new one" : outcome.source());
        }
    }

    private OriginMain() {}
}
