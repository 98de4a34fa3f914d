package io.livestream.devstack.cluster;

import io.livestream.common.json.Json;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.RedisClient;

/** The stream a new user can publish to at once: created in the cluster's registry on the first start, kept in the data dir. */
public final class DemoStream {
    static final String FILE = "demo-stream.json";

    private DemoStream() {}

    /** The demo stream's id and key, creating it when the saved one is gone from the registry. */
    static Map<String, String> ensure(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        try (RedisClient redis = RedisClient.create(URI.create(ClusterLayout.redisUri()));
             KafkaStreamEventPublisher events = new KafkaStreamEventPublisher(ClusterLayout.bootstrapServers())) {
            StreamRegistry registry = new StreamRegistry(redis, events, Clock.SYSTEM, StreamRegistry.DEFAULT_KEY_PREFIX,
                    StreamRegistry.DEFAULT_RECONNECT_GRACE_MS);
            if (Files.exists(file)) {
                Map<String, String> saved = read(dataDir);
                if (registry.get(saved.get("id")).isPresent() && registry.findByKey(saved.get("key")).isPresent()) return saved;
            }
            CreatedStream created = registry.create("Demo stream", "demo", null);
            Map<String, String> demo = new LinkedHashMap<>();
            demo.put("id", created.stream().id());
            demo.put("key", created.streamKey());
            Files.write(file, Json.toBytes(demo));
            ClusterSecrets.ownerOnly(file);
            return demo;
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> read(Path dataDir) throws IOException {
        return Json.fromBytes(Files.readAllBytes(dataDir.resolve(FILE)), Map.class);
    }
}
