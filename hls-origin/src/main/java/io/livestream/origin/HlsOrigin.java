package io.livestream.origin;

import io.livestream.origin.http.OriginServer;
import io.livestream.origin.ingest.MediaConsumer;
import io.livestream.origin.store.SegmentStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One origin instance: the {@code live.media} consumer filling a {@link SegmentStore} and the HTTP server reading it. */
public final class HlsOrigin implements AutoCloseable {
    private final HlsOriginConfig config;
    private final SegmentStore store;
    private final OriginServer server;
    private MediaConsumer consumer;
    private ScheduledExecutorService sweeper;

    public HlsOrigin(HlsOriginConfig config) {
        this.config = config;
        this.store = new SegmentStore(config.store());
        this.server = new OriginServer(config.http(), store);
    }

    /** Starts consuming and serving; returns the HTTP port. */
    public synchronized int start() throws InterruptedException {
        int port = server.start();
        try {
            consumer = MediaConsumer.create(config.bootstrapServers(), config.groupId(), store, config.lookback());
            consumer.start();
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "origin-store-sweeper");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1_000, config.store().idleExpiryMs() / 10);
            sweeper.scheduleAtFixedRate(store::expireIdle, period, period, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return port;
    }

    public SegmentStore store() {
        return store;
    }

    public int port() {
        return server.port();
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) sweeper.shutdownNow();
        sweeper = null;
        if (consumer != null) consumer.close();
        consumer = null;
        server.close();
    }
}
