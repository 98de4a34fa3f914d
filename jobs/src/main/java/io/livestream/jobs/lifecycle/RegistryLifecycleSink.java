package io.livestream.jobs.lifecycle;

import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * Applies the lifecycle operator's decisions to the stream registry, which owns the Redis layout and publishes the
 * ended events on {@code live.stream-events} (and tells the edges). Every transition is conditional on the session
 * still being the live one, so a replay after a restore changes nothing. While Redis is unreachable a decision is
 * retried for {@link #RETRY_FOR} before the job fails (and restarts from its checkpoint, decisions included).
 */
public final class RegistryLifecycleSink implements Sink<LifecycleDecision> {
    static final Duration RETRY_FOR = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(RegistryLifecycleSink.class);

    private final String redisUri;
    private final String keyPrefix;
    private final String bootstrapServers;
    private final long reconnectGraceMs;

    public RegistryLifecycleSink(String redisUri, String keyPrefix, String bootstrapServers, long reconnectGraceMs) {
        this.redisUri = redisUri;
        this.keyPrefix = keyPrefix;
        this.bootstrapServers = bootstrapServers;
        this.reconnectGraceMs = reconnectGraceMs;
    }

    @Override
    public SinkWriter<LifecycleDecision> createWriter(WriterInitContext context) {
        RedisClient redis = RedisClient.create(URI.create(redisUri));
        KafkaStreamEventPublisher events = new KafkaStreamEventPublisher(bootstrapServers);
        StreamRegistry registry = new StreamRegistry(redis, events, Clock.SYSTEM, keyPrefix, reconnectGraceMs);
        return new SinkWriter<>() {
            @Override
            public void write(LifecycleDecision decision, Context ctx) throws InterruptedException {
                long deadline = System.nanoTime() + RETRY_FOR.toNanos();
                for (long backoffMs = 100; ; backoffMs = Math.min(backoffMs * 2, 2_000)) {
                    try {
                        apply(registry, decision);
                        return;
                    } catch (RuntimeException e) {
                        if (System.nanoTime() > deadline) throw e;
                        if (backoffMs == 100) LOG.warn("stream {}: registry unreachable for {}, retrying: {}", decision.streamId(), decision.type(), e.toString());
                        Thread.sleep(backoffMs);
                    }
                }
            }

            @Override public void flush(boolean endOfInput) { }

            @Override
            public void close() {
                events.close();
                redis.close();
            }
        };
    }

    static void apply(StreamRegistry registry, LifecycleDecision d) {
        switch (d.type()) {
            case RECONNECTING -> {
                if (registry.disconnectedAt(d.streamId(), d.sessionId(), d.atMs())) LOG.info("stream {}: media stopped, session {} reconnecting", d.streamId(), d.sessionId());
            }
            case RESUMED -> {
                if (registry.resume(d.streamId(), d.sessionId())) LOG.info("stream {}: media again, session {} resumed", d.streamId(), d.sessionId());
            }
            case ENDED -> {
                if (registry.endAt(d.streamId(), d.sessionId(), d.reason(), d.atMs())) LOG.info("stream {}: session {} ended ({})", d.streamId(), d.sessionId(), d.reason());
            }
        }
    }
}
