package io.livestream.chat.bus;

import io.livestream.chat.room.RoomSubscriptions;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Subscribes to the room channels ({@link ChatKeys#roomChannel}) of the rooms this gateway follows, on a thread of
 * its own, and hands each {@link ChatEvent} on; resubscribes to all of them after a lost connection. Pub/sub is
 * at-most-once: a gateway that was away re-reads the history.
 *
 * <p>The subscription starts on the gateway's own control channel, which nothing publishes to: Redis subscribes a
 * connection to at least one channel, and rooms come and go. It has a connection pool of its own: a connection
 * that was subscribing must never go back to a pool that others take commands from.
 */
public final class RedisChatSubscriber implements AutoCloseable, RoomSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChatSubscriber.class);

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final String controlChannel;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final Thread thread;
    /** Followers per room, and the rooms whose subscription Redis has not confirmed yet (guarded by this). */
    private final Map<String, Integer> followers = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> confirmations = new HashMap<>();
    private volatile Consumer<ChatEvent> sink;
    private volatile boolean running = true;
    private JedisPubSub pubSub; // guarded by this; live while subscribed

    public RedisChatSubscriber(String redisUri, String keyPrefix, String gatewayId) {
        this.redis = RedisClient.create(URI.create(redisUri));
        this.keyPrefix = keyPrefix;
        this.controlChannel = ChatKeys.gatewayChannel(keyPrefix, gatewayId);
        this.thread = new Thread(this::run, "chat-redis-subscriber");
        thread.setDaemon(true);
    }

    /** Starts and waits until the subscription is live, so no event of a room followed after this is missed. */
    public void start(Consumer<ChatEvent> sink) throws InterruptedException {
        this.sink = sink;
        thread.start();
        if (!subscribed.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("no Redis subscription after 10 s");
    }

    @Override
    public CompletableFuture<Void> follow(String streamId) {
        String channel = ChatKeys.roomChannel(keyPrefix, streamId);
        synchronized (this) {
            if (followers.merge(streamId, 1, Integer::sum) > 1) {
                CompletableFuture<Void> pending = confirmations.get(channel);
                return pending != null ? pending : CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            confirmations.put(channel, confirmed);
            // while no subscription is live, the next one (or its start) takes the room along
            if (pubSub != null) pubSub.subscribe(channel);
            return confirmed;
        }
    }

    @Override
    public void unfollow(String streamId) {
        String channel = ChatKeys.roomChannel(keyPrefix, streamId);
        synchronized (this) {
            if (followers.computeIfPresent(streamId, (room, n) -> n > 1 ? n - 1 : null) != null) return;
            CompletableFuture<Void> pending = confirmations.remove(channel);
            if (pending != null) pending.complete(null);
            if (pubSub != null) pubSub.unsubscribe(channel);
        }
    }

    /** Rooms followed now (for metrics and tests). */
    public synchronized int rooms() {
        return followers.size();
    }

    private void run() {
        while (running) {
            JedisPubSub ps = new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int count) {
                    if (channel.equals(controlChannel)) {
                        onLive(this);
                        subscribed.countDown();
                        return;
                    }
                    CompletableFuture<Void> confirmed;
                    synchronized (RedisChatSubscriber.this) {
                        confirmed = confirmations.remove(channel);
                    }
                    if (confirmed != null) confirmed.complete(null);
                }

                @Override
                public void onMessage(String channel, String message) {
                    try {
                        sink.accept(Json.fromBytes(message.getBytes(StandardCharsets.UTF_8), ChatEvent.class));
                    } catch (RuntimeException e) {
                        LOG.warn("skipping chat event: {}", e.toString());
                    }
                }
            };
            try {
                redis.subscribe(ps, controlChannel);
            } catch (RuntimeException e) {
                if (!running) return;
                int rooms;
                synchronized (this) {
                    pubSub = null;
                    rooms = followers.size();
                }
                LOG.warn("chat subscription lost, resubscribing to {} rooms: {}", rooms, e.toString());
                sleep(500);
            }
        }
    }

    /** The connection's subscription is live: every room followed so far joins it, later ones as they come. */
    private synchronized void onLive(JedisPubSub ps) {
        pubSub = ps;
        if (followers.isEmpty()) return;
        List<String> channels = new ArrayList<>();
        for (String room : followers.keySet()) {
            String channel = ChatKeys.roomChannel(keyPrefix, room);
            channels.add(channel);
            confirmations.computeIfAbsent(channel, c -> new CompletableFuture<>());
        }
        ps.subscribe(channels.toArray(String[]::new));
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
        JedisPubSub ps;
        synchronized (this) {
            ps = pubSub;
        }
        if (ps != null && ps.isSubscribed()) ps.unsubscribe();
        thread.interrupt();
        redis.close();
    }
}
