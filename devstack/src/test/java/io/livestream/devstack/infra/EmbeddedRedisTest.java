package io.livestream.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/** A server of its own (not SharedInfra), because it is stopped and restarted on the same directory. */
class EmbeddedRedisTest {
    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestartOnTheSameDirectory() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, 0);
             RedisClient client = RedisClient.create(URI.create(redis.uri()))) {
            client.hset("ls:stream:abc", "title", "kept");
        }
        try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, 0);
             RedisClient client = RedisClient.create(URI.create(redis.uri()))) {
            assertThat(client.hget("ls:stream:abc", "title")).isEqualTo("kept");
        }
    }
}
