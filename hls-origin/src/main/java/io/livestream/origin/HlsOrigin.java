package io.livestream.origin;

import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.api.ControlApi;
import io.livestream.origin.api.HealthConsumer;
import io.livestream.origin.api.HealthHistory;
import io.livestream.origin.api.ReadinessHandler;
import io.livestream.origin.chat.ChatForwarder;
import io.livestream.origin.dvr.DvrResources;
import io.livestream.origin.dvr.RecordingStore;
import io.livestream.common.metrics.PrometheusText;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import io.livestream.origin.metrics.OriginMetrics;
import io.livestream.origin.http.RouteTable;
import io.livestream.origin.web.WebPages;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.ingest.MediaConsumer;
import io.livestream.origin.ingest.MediaRecordListener;
import io.livestream.origin.store.SegmentStore;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * One origin instance: the {@code live.media} consumer filling a {@link SegmentStore} (and, when configured, the
 * recordings) and the HTTP server reading them, with the control API when {@link HlsOriginConfig#api()} is set.
 */
public final class HlsOrigin implements AutoCloseable {
    private static final long RETENTION_SWEEP_MS = 10 * 60_000L;

    private final HlsOriginConfig config;
    private final SegmentStore store;
    private final RecordingStore recordings;
    private final HealthHistory healthHistory = new HealthHistory();
    private final RedisClient redis;
    private final StreamEventPublisher events;
    private final StreamRegistry registry;
    private final OriginServer server;
    private final ChatForwarder chat;
    private final OriginMetrics metrics;
    private volatile MediaConsumer consumer;
    private HealthConsumer healthConsumer;
    private ScheduledExecutorService sweeper;

    public HlsOrigin(HlsOriginConfig config) {
        this.config = config;
        this.store = new SegmentStore(config.store());
        this.recordings = config.dvr() == null ? null : new RecordingStore(config.dvr());
        RouteTable routes = RouteTable.builder().build();
        DvrResources dvr = recordings == null ? null : new DvrResources(recordings);
        if (dvr != null) routes = routes.with(dvr.routes());
        ApiConfig api = config.api();
        if (api != null) {
            redis = RedisClient.create(URI.create(api.redisUri()));
            events = config.bootstrapServers() == null ? StreamEventPublisher.NONE : new KafkaStreamEventPublisher(config.bootstrapServers());
            registry = new StreamRegistry(redis, events, Clock.SYSTEM, api.keyPrefix(), api.reconnectGraceMs());
            routes = routes.with(ControlApi.routes(registry, redis, store, dvr, config.bootstrapServers() == null ? null : healthHistory, api,
                    List.of(new ReadinessHandler.Check("kafka", this::mediaConsumerRunning))));
        } else {
            redis = null;
            events = null;
            registry = null;
        }
        if (config.webChatPort() != null) routes = routes.with(new WebPages(config.webChatPort()).routes());
        URI gateway = config.chatGateway();
        chat = gateway == null ? null : new ChatForwarder(gateway.getHost(), gateway.getPort() == -1 ? 80 : gateway.getPort());
        if (chat != null) routes = routes.with(chat.routes());
        metrics = new OriginMetrics(this::heldRequests, this::growingSegmentAnswers);
        routes = routes.with(RouteTable.builder().onEventLoop(Route.Metrics.class, (route, request) ->
                new Resource(200, metrics.scrape(), PrometheusText.CONTENT_TYPE, Resource.NO_STORE, null, false)).build());
        this.server = new OriginServer(config.http(), store, routes, metrics);
        if (config.tls() != null) server.withTls(config.tls());
    }

    /** Starts consuming and serving; returns the HTTP port. */
    public synchronized int start() throws InterruptedException {
        int port = server.start();
        try {
            MediaRecordListener listener = recordings == null ? store : record -> {
                store.onMediaRecord(record);
                recordings.onMediaRecord(record);
            };
            // until the look-back is read the windows are minutes old: live HLS answers 503 meanwhile (nginx retries the other)
            store.startWarmingUp();
            consumer = MediaConsumer.create(config.bootstrapServers(), config.groupId(), listener, config.lookback(), store::warmedUp);
            consumer.start();
            if (registry != null) healthConsumer = new HealthConsumer(config.bootstrapServers(), healthHistory, HealthHistory.DEFAULT_KEEP_MS).start();
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "origin-store-sweeper");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1_000, config.store().idleExpiryMs() / 10);
            sweeper.scheduleAtFixedRate(store::expireIdle, period, period, TimeUnit.MILLISECONDS);
            if (recordings != null) sweeper.scheduleWithFixedDelay(recordings::sweep, 0, RETENTION_SWEEP_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return port;
    }

    private boolean mediaConsumerRunning() {
        MediaConsumer c = consumer;
        return c != null && c.isRunning();
    }

    public SegmentStore store() {
        return store;
    }

    /** The recordings, or null when the origin records nothing. */
    public RecordingStore recordings() {
        return recordings;
    }

    /** The API's registry, or null without an API. */
    public StreamRegistry registry() {
        return registry;
    }

    /** The bound HTTPS port, -1 without TLS. */
    public int httpsPort() {
        return server.httpsPort();
    }

    public int port() {
        return server.port();
    }

    /** LL-HLS requests waiting for their part now (0 before the server exists). */
    private long growingSegmentAnswers() {
        OriginServer s = server;
        return s == null ? 0 : s.growingSegmentAnswers();
    }

    private int heldRequests() {
        OriginServer s = server;
        return s == null ? 0 : s.heldRequests();
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) sweeper.shutdownNow();
        sweeper = null;
        if (consumer != null) consumer.close();
        consumer = null;
        if (healthConsumer != null) healthConsumer.close();
        healthConsumer = null;
        server.close();
        if (chat != null) chat.close();
        if (events != null) events.close();
        if (redis != null) redis.close();
    }

}
