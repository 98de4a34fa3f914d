package io.livestream.common.registry;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends sessions whose publisher did not come back within the reconnect grace, by calling
 * {@link StreamRegistry#expireDisconnected()} every second. Any number of instances may run (each expiry is one
 * atomic script), so every edge runs one.
 */
public final class DisconnectSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectSweeper.class);

    private final StreamRegistry registry;
    private final ScheduledExecutorService executor;

    public DisconnectSweeper(StreamRegistry registry, long periodMs) {
        this.registry = registry;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-disconnect-sweeper");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::sweep, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public DisconnectSweeper(StreamRegistry registry) {
        this(registry, 1_000);
    }

    private void sweep() {
        try {
            for (String id : registry.expireDisconnected()) LOG.info("stream {} ended: publisher did not reconnect within {} ms", id, registry.reconnectGraceMs());
        } catch (RuntimeException e) {
            LOG.warn("disconnect sweep failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
