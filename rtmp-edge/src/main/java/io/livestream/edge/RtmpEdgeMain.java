package io.livestream.edge;

import io.livestream.common.cli.Flags;
import io.livestream.common.lifecycle.Closer;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.ingest.KafkaIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.edge.server.RtmpServer;
import io.livestream.edge.session.RegistryPublishGate;
import io.livestream.netguard.ConnectionLimits;
import io.livestream.netguard.GuardFlags;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * A production edge on its own. Stateless: run as many as the load needs behind a TCP balancer. It drops the
 * publisher of any session ended elsewhere (the API's end, the lifecycle job). Whether a dropped publisher's session
 * ends is not its business: the stream-health job sees the stream's media stop, whatever process died, and ends the
 * session after the reconnect grace.
 *
 * <pre>
 * --bootstrap localhost:9092 --redis redis://localhost:6379 --key-prefix ls: --host 0.0.0.0 --port 1935
 * --metrics-port 9935 (-1: none) --rtmp-app live --reconnect-grace-ms 15000 --max-connections-per-ip 16
 * --max-connections 1000 --read-timeout 30s --handshake-timeout 10s --publish-timeout 30s
 * --max-connections 1000 --max-live-per-broadcaster 0 (concurrent live streams per broadcaster; 0: no limit)
 * </pre>
 * Every flag falls back to {@code LIVESTREAM_<FLAG>} ({@code LIVESTREAM_BOOTSTRAP}, ...). SIGTERM stops it cleanly:
 * publishers are disconnected (their sessions enter the reconnect grace, so OBS resumes them on another edge).
 */
public final class RtmpEdgeMain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtmpEdgeMain.class);

    /**
     * The JVM options every launcher gives the edge process (./livestream cluster up, deploy/edge/Dockerfile, the
     * benchmarks). -Xms32m: the initial heap otherwise defaults to 1/64 of the machine's memory (the whole 256 MB
     * here), and the serial collector's young generation, sized from it, was touched in full; with 32 MB the heap
     * settles near 60 MB at 50 publishers (issue 13: RSS 318 -> 146 MB). Serial GC and C1 only: the live set is small
     * and the hot path is I/O.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError");

    /** Everything the flags say; {@link #fromFlags} reads them. */
    public record Settings(String bootstrapServers, String redisUri, String keyPrefix, RtmpEdgeConfig edge, String rtmpApp,
                           long reconnectGraceMs, int maxLivePerBroadcaster) {
        public Settings(String bootstrapServers, String redisUri, String keyPrefix, RtmpEdgeConfig edge, String rtmpApp,
                        long reconnectGraceMs) {
            this(bootstrapServers, redisUri, keyPrefix, edge, rtmpApp, reconnectGraceMs, 0);
        }

        public static Settings fromFlags(Flags flags) {
            Settings settings = new Settings(
                    flags.get("bootstrap", "localhost:9092"),
                    flags.get("redis", "redis://localhost:6379"),
                    // --redis-prefix is the older name of the flag, kept for scripts that use it
                    flags.get("key-prefix", flags.get("redis-prefix", StreamRegistry.DEFAULT_KEY_PREFIX)),
                    edgeConfig(flags),
                    flags.get("rtmp-app", "live"),
                    flags.number("reconnect-grace-ms", StreamRegistry.DEFAULT_RECONNECT_GRACE_MS),
                    flags.integer("max-live-per-broadcaster", 0));
            flags.rejectUnknown();
            return settings;
        }
    }

    private static RtmpEdgeConfig edgeConfig(Flags flags) {
        RtmpEdgeConfig defaults = RtmpEdgeConfig.defaults();
        ConnectionLimits limits = GuardFlags.connectionLimits(flags, new ConnectionLimits(defaults.maxConnectionsPerIp(), defaults.maxConnections()));
        return defaults.withHost(flags.get("host", defaults.host()))
                .withPorts(flags.port("port", RtmpEdgeConfig.DEFAULT_PORT), flags.integer("metrics-port", RtmpEdgeConfig.DEFAULT_METRICS_PORT))
                // behind a TCP balancer every publisher has the balancer's address: raise the per-address limit there
                .withConnectionLimits(limits.maxPerAddress(), limits.maxTotal())
                .withTimeouts(GuardFlags.seconds(flags, "read-timeout", defaults.readTimeoutSeconds()),
                        GuardFlags.seconds(flags, "handshake-timeout", defaults.handshakeTimeoutSeconds()),
                        GuardFlags.seconds(flags, "publish-timeout", defaults.publishTimeoutSeconds()));
    }

    private final Settings settings;
    private final Function<String, IngestSink> sinkForBootstrap;
    private final Closer started = new Closer(e -> LOG.warn("while stopping the edge: {}", e.toString()));
    private RtmpServer server;

    public RtmpEdgeMain(Settings settings) {
        this(settings, KafkaIngestSink::new);
    }

    /**
     * With another ingest sink, made from the bootstrap servers at start: the edge benchmark's floor run (a sink
     * that stores nothing) measures what the RTMP read path costs without the Kafka producer.
     */
    public RtmpEdgeMain(Settings settings, Function<String, IngestSink> sinkForBootstrap) {
        this.settings = settings;
        this.sinkForBootstrap = sinkForBootstrap;
    }

    /** Connects to Redis and Kafka, listens and subscribes; returns the RTMP port. */
    public synchronized int start() throws Exception {
        try {
            RedisClient redis = RedisClient.create(URI.create(settings.redisUri()));
            started.add(redis);
            KafkaStreamEventPublisher events = new KafkaStreamEventPublisher(settings.bootstrapServers());
            started.add(events);
            StreamRegistry registry = new StreamRegistry(redis, events, Clock.SYSTEM, settings.keyPrefix(), settings.reconnectGraceMs());
            IngestSink sink = sinkForBootstrap.apply(settings.bootstrapServers());
            started.add(sink);
            RegistryPublishGate gate = new RegistryPublishGate(registry, settings.rtmpApp(), settings.maxLivePerBroadcaster());
            started.add(gate.startRenewingHolds());
            server = new RtmpServer(settings.edge(), gate, sink, new EdgeMetrics());
            int port = server.start();
            started.add(server);
            RtmpServer edge = server;
            started.add(registry.subscribeEnded(ended -> edge.disconnect(ended.streamId(), ended.sessionId())));
            LOG.info("rtmp edge ready on port {} (metrics {}), Kafka {}, Redis {}", port, server.metricsPort(),
                    settings.bootstrapServers(), settings.redisUri());
            return port;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public int metricsPort() {
        return server.metricsPort();
    }

    /** Stops in reverse order of start: the subscription, then the listener (ending publishes), then the clients. */
    @Override
    public void close() {
        started.close();
    }

    public static void main(String[] args) throws Exception {
        run(args, KafkaIngestSink::new);
    }

    /** The process around an edge: flags, start, and a clean stop on SIGTERM. */
    public static void run(String[] args, Function<String, IngestSink> sinkForBootstrap) throws Exception {
        Settings settings;
        try {
            settings = Settings.fromFlags(Flags.parse(args, System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("rtmp-edge: " + e.getMessage());
            System.exit(2);
            return;
        }
        RtmpEdgeMain edge = new RtmpEdgeMain(settings, sinkForBootstrap);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            edge.close();
            stopped.countDown();
        }, "edge-shutdown"));
        edge.start();
        stopped.await();
    }
}
