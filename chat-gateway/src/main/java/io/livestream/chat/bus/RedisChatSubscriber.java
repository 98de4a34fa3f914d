package io.livestream.chat.bus;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * Subscribes to the chat job's events channel on a thread of its own and hands each {@link ChatEvent} on;
 * resubscribes after a lost connection. Pub/sub is at-most-once: a gateway that was away re-reads the history.
 */
public final class RedisChatSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChatSubscriber.class);

    private final UnifiedJedis redis;
    private final String channel;
    private final Consumer<ChatEvent> sink;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile JedisPubSub pubSub;

    public RedisChatSubscriber(UnifiedJedis redis, String keyPrefix, Consumer<ChatEvent> sink) {
        this.redis = redis;
        this.channel = ChatKeys.eventsChannel(keyPrefix);
        this.sink = sink;
        this.thread = new Thread(this::run, "chat-redis-subscriber");
        thread.setDaemon(true);
    }

    /** Starts and waits until the subscription is live, so no event published after this returns is missed. */
    public void start() throws InterruptedException {
        thread.start();
        if (!subscribed.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("no Redis subscription after 10 s");
    }

    private void run() {
        while (running) {
            JedisPubSub ps = new JedisPubSub() {
                @Override public void onSubscribe(String ch, int count) { subscribed.countDown(); }

                @Override
                public void onMessage(String ch, String message) {
                    try {
                        sink.accept(Json.fromBytes(message.getBytes(StandardCharsets.UTF_8), ChatEvent.class));
                    } catch (RuntimeException e) {
                        LOG.warn("skipping chat event: {}", e.toString());
                    }
                }
            };
            pubSub = ps;
            try {
                redis.subscribe(ps, channel);
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.warn("chat subscription lost, resubscribing: {}", e.toString());
                sleep(500);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        JedisPubSub ps = pubSub;
        if (ps != null && ps.isSubscribed()) ps.unsubscribe();
        thread.interrupt();
    }
}
