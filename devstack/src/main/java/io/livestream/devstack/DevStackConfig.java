package io.livestream.devstack;

import io.livestream.common.cli.Flags;
import io.livestream.devstack.infra.InfraConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The launcher's settings. Each one can be given as a flag ({@code --rtmp-port 1936}) or an environment variable
 * ({@code LIVESTREAM_RTMP_PORT=1936}); the flag wins. KAFKA_BOOTSTRAP / REDIS_URL switch to external servers.
 */
public record DevStackConfig(
        InfraConfig infra,
        int rtmpPort,
        int httpPort,
        int dashboardPort,
        int edgeMetricsPort,
        int chatPort,
        String publicHost,
        String ladder,
        String preset) {

    public static final String USAGE = """
            ./livestream up [--data DIR] [--rtmp-port 1935] [--http-port 8080] [--dashboard-port 8081]
                            [--kafka-port 9092] [--redis-port 6379] [--metrics-port 9935] [--chat-port 8090]
                            [--public-host localhost]
                            [--ladder source,720p:2800,480p:1400,360p:800] [--preset veryfast]
            every flag also reads from the environment: --rtmp-port <-> LIVESTREAM_RTMP_PORT, --data <-> LIVESTREAM_DATA;
            KAFKA_BOOTSTRAP and REDIS_URL use external Kafka / Redis instead of the embedded ones""";

    public static DevStackConfig parse(String[] args, Map<String, String> env) {
        Flags s = Flags.parse(args, env);
        Map<String, String> infraEnv = new HashMap<>(env);
        String data = s.get("data", null);
        if (data != null) infraEnv.put(InfraConfig.ENV_DATA, data);
        InfraConfig infra = InfraConfig.fromEnvironment(infraEnv)
                .withPorts(s.port("kafka-port", InfraConfig.DEFAULT_KAFKA_PORT), s.port("redis-port", InfraConfig.DEFAULT_REDIS_PORT));
        DevStackConfig config = new DevStackConfig(infra,
                s.port("rtmp-port", 1935), s.port("http-port", 8080), s.port("dashboard-port", 8081),
                s.port("metrics-port", 9935), s.port("chat-port", 8090), s.get("public-host", "localhost"),
                s.get("ladder", "source,720p:2800,480p:1400,360p:800"), s.get("preset", "veryfast"));
        s.rejectUnknown();
        return config;
    }

    public Path dataDir() {
        return infra.dataDir();
    }
}
