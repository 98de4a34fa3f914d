package io.livestream.common.registry;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/** A Redis pub/sub subscription to the ended-session channel on a daemon thread; resubscribes after a lost connection. */
final class EndedSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndedSubscription.class);
    private static final long RETRY_MS = 1_000;

    private final UnifiedJedis redis;
    private final String channel;
    private final Consumer<StreamEvent> onEnded;
    private final Thread thread;
    private volatile boolean closed;
    private volatile JedisPubSub current;

    private EndedSubscription(UnifiedJedis redis, String channel, Consumer<StreamEvent> onEnded) {
        this.redis = redis;
        this.channel = channel;
        this.onEnded = onEnded;
        this.thread = new Thread(this::run, "registry-ended-subscriber");
        this.thread.setDaemon(true);
    }

    static EndedSubscription start(UnifiedJedis redis, String channel, Consumer<StreamEvent> onEnded) {
        EndedSubscription s = new EndedSubscription(redis, channel, onEnded);
        s.thread.start();
        return s;
    }

    private void run() {
        while (!closed) {
            JedisPubSub pubSub = new JedisPubSub() {
                @Override
                public void onMessage(String ch, String message) {
                    try {
                        onEnded.accept(Json.fromBytes(message.getBytes(StandardCharsets.UTF_8), StreamEvent.class));
                    } catch (RuntimeException e) {
                        LOG.warn("ignoring ended announcement {}: {}", message, e.toString());
                    }
                }
            };
            current = pubSub;
            try {
                if (!closed) redis.subscribe(pubSub, channel); // blocks until unsubscribed or the connection drops
            } catch (RuntimeException e) {
                if (closed) return;
                LOG.warn("subscription to {} lost ({}), retrying", channel, e.toString());
                try {
                    Thread.sleep(RETRY_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Whether the subscription is registered with Redis (tests wait for this before publishing). */
    boolean isSubscribed() {
        JedisPubSub pubSub = current;
        return pubSub != null && pubSub.isSubscribed();
    }

    @Override
    public void close() {
        closed = true;
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) pubSub.unsubscribe();
        thread.interrupt();
    }
}
