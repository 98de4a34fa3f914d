package io.livestream.devstack.infra;

import io.livestream.common.kafka.TopicBootstrap;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka and Redis for a development run: the external ones when configured, embedded ones otherwise, and
 * in either case the platform topics created. Closing stops only what it started.
 */
public final class Infrastructure implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedKafka embeddedKafka;
    private final EmbeddedRedis embeddedRedis;
    private final String bootstrapServers;
    private final String redisUri;

    private Infrastructure(EmbeddedKafka kafka, EmbeddedRedis redis, String bootstrapServers, String redisUri) {
        this.embeddedKafka = kafka;
        this.embeddedRedis = redis;
        this.bootstrapServers = bootstrapServers;
        this.redisUri = redisUri;
    }

    public static Infrastructure start(InfraConfig config) {
        long started = System.nanoTime();
        EmbeddedRedis redis = null;
        EmbeddedKafka kafka = null;
        try {
            String redisUri = config.externalRedis();
            if (redisUri == null) {
                redis = EmbeddedRedis.start(config.redisDir(), config.redisPort());
                redisUri = redis.uri();
            } else {
                LOG.info("using external redis at {}", redisUri);
            }
            String bootstrap = config.externalKafka();
            if (bootstrap == null) {
                kafka = EmbeddedKafka.start(config.kafkaDir(), config.kafkaPort());
                bootstrap = kafka.bootstrapServers();
            } else {
                LOG.info("using external kafka at {}", bootstrap);
            }
            List<String> created = TopicBootstrap.ensureTopics(bootstrap, config.partitions(), TOPIC_TIMEOUT);
            LOG.info("infrastructure ready in {} ms: kafka {}, redis {}, {} topics created",
                    millisSince(started), bootstrap, redisUri, created.size());
            return new Infrastructure(kafka, redis, bootstrap, redisUri);
        } catch (RuntimeException e) {
            closeQuietly(kafka);
            closeQuietly(redis);
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String redisUri() {
        return redisUri;
    }

    @Override
    public void close() {
        long started = System.nanoTime();
        // Kafka first: its clients may still be flushing, Redis has no dependants here
        try {
            if (embeddedKafka != null) embeddedKafka.close();
        } finally {
            if (embeddedRedis != null) embeddedRedis.close();
        }
        LOG.info("infrastructure stopped in {} ms", millisSince(started));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("cleanup after failed start: {}", e.toString());
        }
    }
}
