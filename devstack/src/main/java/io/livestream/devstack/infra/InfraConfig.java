package io.livestream.devstack.infra;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the infrastructure lives: external Kafka / Redis when their addresses are given, otherwise embedded
 * servers with their files under {@code dataDir} ({@code kafka/} and {@code redis/}).
 *
 * @param externalKafka bootstrap servers of a running Kafka, or null to embed one
 * @param externalRedis redis:// URI of a running Redis, or null to embed one
 * @param kafkaPort port of the embedded Kafka, 0 = a free port
 * @param redisPort port of the embedded Redis, 0 = a free port
 * @param partitions partitions of each platform topic created at startup
 */
public record InfraConfig(Path dataDir, String externalKafka, String externalRedis,
                          int kafkaPort, int redisPort, int partitions) {
    public static final String ENV_KAFKA = "KAFKA_BOOTSTRAP";
    public static final String ENV_REDIS = "REDIS_URL";
    public static final String ENV_DATA = "LIVESTREAM_DATA";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final int DEFAULT_PARTITIONS = 2;

    /** From KAFKA_BOOTSTRAP, REDIS_URL and LIVESTREAM_DATA (default ./data), on the default ports. */
    public static InfraConfig fromEnvironment(Map<String, String> env) {
        return new InfraConfig(dataDir(env), blankToNull(env.get(ENV_KAFKA)), redisUri(blankToNull(env.get(ENV_REDIS))),
                DEFAULT_KAFKA_PORT, DEFAULT_REDIS_PORT, DEFAULT_PARTITIONS);
    }

    /** Embedded servers on free ports, for tests. */
    public static InfraConfig embeddedOnFreePorts(Path dataDir) {
        return new InfraConfig(dataDir, null, null, 0, 0, DEFAULT_PARTITIONS);
    }

    public static Path dataDir(Map<String, String> env) {
        String dir = blankToNull(env.get(ENV_DATA));
        return Path.of(dir == null ? "data" : dir).toAbsolutePath();
    }

    /** Accepts host:port as well as redis://host:port, as REDIS_URL is often written without a scheme. */
    public static String redisUri(String value) {
        if (value == null) return null;
        return value.contains("://") ? value : "redis://" + value;
    }

    public InfraConfig withExternalKafka(String bootstrapServers) {
        return new InfraConfig(dataDir, bootstrapServers, externalRedis, kafkaPort, redisPort, partitions);
    }

    public InfraConfig withExternalRedis(String uri) {
        return new InfraConfig(dataDir, externalKafka, redisUri(uri), kafkaPort, redisPort, partitions);
    }

    public InfraConfig withPorts(int kafka, int redis) {
        return new InfraConfig(dataDir, externalKafka, externalRedis, kafka, redis, partitions);
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path redisDir() {
        return dataDir.resolve("redis");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
