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
import io.livestream.common.concurrent.BoundedExecutor;
import io.livestream.common.time.Clock;
import io.livestream.netguard.GuardFlags;
import java.net.URI;
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
    static final int BLOCKING_THREADS = 32;
    static final int BLOCKING_QUEUE = 512;
    private BoundedExecutor blocking;
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
            subscriber = new RedisChatSubscriber(config.redisUri(), config.keyPrefix(), config.gatewayId());
            rooms = new ChatRooms(config.gatewayId(), subscriber, config.fanoutCoalesceMs());
            PendingVerdicts verdicts = new PendingVerdicts();
            ChatRooms fanout = rooms;
            subscriber.start(event -> {
                fanout.dispatch(event);
                verdicts.offer(event);
            });
            // POSTs wait up to the verdict timeout on a thread: 32 of them, and past 512 queued requests a 503
            blocking = new BoundedExecutor("chat-gateway-blocking", BLOCKING_THREADS, BLOCKING_QUEUE);
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
        if (blocking != null) blocking.close();
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
     * --max-connections-per-ip 1000 --max-connections 10000 --idle-timeout 60s --request-timeout 10s --ping-interval 30s
     */
    public static void main(String[] args) throws Exception {
        ChatGatewayConfig config;
        try {
            config = configFrom(Flags.parse(args, System.getenv()));
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

    /** The gateway's settings from flags; a flag it does not read is refused. The token secret is checked at start. */
    public static ChatGatewayConfig configFrom(Flags flags) {
        ChatGatewayConfig config = ChatGatewayConfig.defaults(flags.get("bootstrap", "localhost:9092"), flags.get("redis", "redis://localhost:6379"),
                        flags.get("token-secret", System.getenv("CHAT_TOKEN_SECRET")))
                .withPort(flags.port("port", ChatGatewayConfig.DEFAULT_PORT))
                .withKeyPrefix(flags.get("key-prefix", io.livestream.common.registry.StreamRegistry.DEFAULT_KEY_PREFIX))
                .withConnectionLimits(GuardFlags.connectionLimits(flags, ChatGatewayConfig.DEFAULT_CONNECTION_LIMITS));
        config = config.withTimeouts(GuardFlags.seconds(flags, "idle-timeout", config.idleTimeoutSec()),
                GuardFlags.seconds(flags, "request-timeout", config.requestTimeoutSec()),
                GuardFlags.seconds(flags, "ping-interval", config.pingIntervalSec()));
        flags.rejectUnknown();
        return config;
    }
}
