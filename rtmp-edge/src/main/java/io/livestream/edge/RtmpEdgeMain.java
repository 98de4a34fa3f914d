package io.livestream.edge;

import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.edge.ingest.KafkaIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.edge.server.RtmpServer;
import io.livestream.edge.session.RegistryPublishGate;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.RedisClient;

/**
 * A production edge on its own: {@code --bootstrap localhost:9092 --redis redis://localhost:6379 --port 1935
 * --metrics-port 9935 [--redis-prefix ls:]}. Stateless: run as many as the load needs behind a TCP balancer.
 */
public final class RtmpEdgeMain {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String bootstrap = a.getOrDefault("bootstrap", "localhost:9092");
        RedisClient redis = RedisClient.create(URI.create(a.getOrDefault("redis", "redis://localhost:6379")));
        KafkaStreamEventPublisher events = new KafkaStreamEventPublisher(bootstrap);
        StreamRegistry registry = new StreamRegistry(redis, events, io.livestream.common.time.Clock.SYSTEM,
                a.getOrDefault("redis-prefix", StreamRegistry.DEFAULT_KEY_PREFIX));
        KafkaIngestSink sink = new KafkaIngestSink(bootstrap);
        RtmpServer server = new RtmpServer(RtmpEdgeConfig.defaults().withPorts(
                Integer.parseInt(a.getOrDefault("port", "1935")), Integer.parseInt(a.getOrDefault("metrics-port", "9935"))),
                new RegistryPublishGate(registry, "live"), sink, new EdgeMetrics());
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            sink.close();
            events.close();
            redis.close();
            stopped.countDown();
        }, "edge-shutdown"));
        stopped.await();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --flag value, got " + args[i]);
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }

    private RtmpEdgeMain() {}
}
