package io.livestream.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * One real redis-server (embedded-redis's bundled binary, no persistence) per test JVM, started by the first
 * {@link #get()} and stopped by a shutdown hook; test classes keep apart by key prefix. In common's test-jar.
 */
public final class TestRedis {
    private static TestRedis instance;

    private final RedisServer server;
    private final int port;
    private final RedisClient client;

    private TestRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
        this.client = RedisClient.create("127.0.0.1", port);
    }

    public static synchronized TestRedis get() {
        if (instance == null) {
            try {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
                TestRedis redis = new TestRedis(server, port);
                Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "test-redis-stop"));
                instance = redis;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** A client shared by the tests of this JVM: do not close it. */
    public RedisClient client() {
        return client;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private void stop() {
        client.close();
        try {
            server.stop();
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }
}
