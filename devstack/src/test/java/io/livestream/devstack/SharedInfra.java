package io.livestream.devstack;

import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.devstack.infra.InfraConfig;
import io.livestream.devstack.infra.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.registry.StreamKeys;
import redis.clients.jedis.RedisClient;

/**
 * One embedded Kafka and Redis per test JVM, on free ports and a temporary data directory, started by the
 * first {@link #get()} and stopped by a shutdown hook. Every devstack test class uses it instead of starting
 * its own, which keeps the test run short; tests keep apart by stream id, topic key or a registry key prefix.
 */
public final class SharedInfra {
    private static SharedInfra instance;

    private final Path dataDir;
    private final Infrastructure infrastructure;
    private final RedisClient redis;
    private final KafkaStreamEventPublisher events;
    private final AtomicInteger prefixes = new AtomicInteger();

    private SharedInfra(Path dataDir, Infrastructure infrastructure) {
        this.dataDir = dataDir;
        this.infrastructure = infrastructure;
        this.redis = RedisClient.create(URI.create(infrastructure.redisUri()));
        this.events = new KafkaStreamEventPublisher(infrastructure.bootstrapServers());
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("livestream-test-infra");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SharedInfra shared = new SharedInfra(dir, Infrastructure.start(InfraConfig.embeddedOnFreePorts(dir)));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown, "shared-infra-shutdown"));
            instance = shared;
        }
        return instance;
    }

    public String bootstrapServers() {
        return infrastructure.bootstrapServers();
    }

    public String redisUri() {
        return infrastructure.redisUri();
    }

    /** A Redis client shared by the tests of this JVM; do not close it. */
    public RedisClient redis() {
        return redis;
    }

    /** A key prefix no other registry of this JVM uses. */
    public String uniqueKeyPrefix() {
        return "test" + prefixes.incrementAndGet() + ":";
    }

    /** A fresh, empty registry (unique key prefix) publishing to {@code events}. */
    /** Sets a fresh operator token for the platform under {@code keyPrefix} and returns it (as an operator would set it). */
    public String operatorToken(String keyPrefix) {
        String token = StreamKeys.newAdminToken();
        new AdminTokenStore(redis, keyPrefix).replace(token);
        return token;
    }

    public StreamRegistry newRegistry(StreamEventPublisher events, Clock clock) {
        return new StreamRegistry(redis, events, clock, uniqueKeyPrefix());
    }

    /** A fresh, empty registry publishing its events to the shared Kafka's live.stream-events. */
    public StreamRegistry newRegistry() {
        return newRegistry(events, Clock.SYSTEM);
    }

    private void shutdown() {
        try {
            events.close();
            redis.close();
            infrastructure.close();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
