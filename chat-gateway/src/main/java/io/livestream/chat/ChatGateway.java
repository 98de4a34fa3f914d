package io.livestream.chat;

import io.livestream.common.cli.Flags;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.chat.auth.RedisRoleLookup;
import io.livestream.chat.bus.KafkaChatPublisher;
import io.livestream.chat.bus.PendingVerdicts;
import io.livestream.chat.bus.RedisChatStore;
import io.livestream.chat.bus.RedisChatSubscriber;
import io.livestream.chat.room.ChatRooms;
import io.livestream.chat.server.ChatServer;
import io.livestream.chat.server.ChatServices;
import io.livestream.common.time.Clock;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.RedisClient;

/**
 * One chat gateway: the WebSocket + HTTP server, Kafka for what clients submit, Redis for history and for the chat
 * job's events, which it fans out to its own sockets. Several gateways on one Redis each deliver every message.
 */
public final class ChatGateway implements AutoCloseable {
    private final ChatGatewayConfig config;
    private RedisClient redis;
    private KafkaChatPublisher publisher;
    private RedisChatSubscriber subscriber;
    private ExecutorService blocking;
    private ChatServer server;
    private ChatRooms rooms;

    public ChatGateway(ChatGatewayConfig config) {
        this.config = config;
    }

    /** Subscribes to Redis first (so nothing published after start is missed), then listens; returns the port. */
    public synchronized int start() throws InterruptedException {
        try {
            redis = RedisClient.create(URI.create(config.redisUri()));
            publisher = new KafkaChatPublisher(config.bootstrapServers(), "chat-gateway-" + config.gatewayId());
            rooms = new ChatRooms(config.gatewayId());
            PendingVerdicts verdicts = new PendingVerdicts();
            ChatRooms fanout = rooms;
            subscriber = new RedisChatSubscriber(redis, config.keyPrefix(), event -> {
                fanout.dispatch(event);
                verdicts.offer(event);
            });
            subscriber.start();
            AtomicInteger threads = new AtomicInteger();
            blocking = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "chat-gateway-blocking-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ChatServices services = new ChatServices(config, rooms, new ChatTokens(config.tokenSecret(), Clock.SYSTEM),
                    new RedisRoleLookup(redis, config.keyPrefix()), publisher, new RedisChatStore(redis, config.keyPrefix()),
                    verdicts, blocking, Clock.SYSTEM);
            server = new ChatServer(services);
            return server.start();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public ChatRooms rooms() {
        return rooms;
    }

    @Override
    public synchronized void close() {
        if (server != null) server.close();
        if (subscriber != null) subscriber.close();
        if (blocking != null) blocking.shutdownNow();
        if (publisher != null) publisher.close();
        if (redis != null) redis.close();
        server = null;
        subscriber = null;
        blocking = null;
        publisher = null;
        redis = null;
    }

    /**
     * Arguments (each also read from a LIVESTREAM_ environment variable): --bootstrap localhost:9092 --redis redis://localhost:6379
     * --port 8090 --key-prefix ls: --token-secret (or env CHAT_TOKEN_SECRET; required, at least 16 characters)
     */
    public static void main(String[] args) throws Exception {
        ChatGatewayConfig config;
        try {
            Flags flags = Flags.parse(args, System.getenv());
            config = ChatGatewayConfig.defaults(flags.get("bootstrap", "localhost:9092"), flags.get("redis", "redis://localhost:6379"),
                            flags.get("token-secret", System.getenv("CHAT_TOKEN_SECRET")))
                    .withPort(flags.port("port", ChatGatewayConfig.DEFAULT_PORT))
                    .withKeyPrefix(flags.get("key-prefix", io.livestream.common.registry.StreamRegistry.DEFAULT_KEY_PREFIX));
            flags.rejectUnknown();
        } catch (IllegalArgumentException e) {
            System.err.println("chat-gateway: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChatGateway gateway = new ChatGateway(config);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "chat-gateway-shutdown"));
        gateway.start();
        Thread.currentThread().join();
    }
}
