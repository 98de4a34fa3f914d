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
        String preset,
        int maxStreamsPerBroadcaster,
        int maxLivePerBroadcaster,
        int flinkMetricsPort,
        int httpsPort,
        long partTargetMs) {

    public static final int DEFAULT_FLINK_METRICS_PORT = 9249;
    public static final int DEFAULT_HTTPS_PORT = 8443;

    public static final String USAGE = """
            ./livestream up [--data DIR] [--rtmp-port 1935] [--http-port 8080] [--dashboard-port 8081]
                            [--kafka-port 9092] [--redis-port 6379] [--metrics-port 9935] [--chat-port 8090]
                            [--public-host localhost]
                            [--ladder source,720p:2800,480p:1400,360p:800] [--preset veryfast]
                            [--part-target-ms 250]   (LL-HLS part and DASH chunk length; PART-HOLD-BACK is 3 of them)
                            [--max-streams-per-broadcaster 0] [--max-live-per-broadcaster 0]   (0: no limit)
                            [--flink-metrics-port 9249]   (the jobs' Prometheus metrics; -1: none)
                            [--https-port 8443]   (HTTPS with HTTP/2, a self-signed certificate in DIR/tls; -1: none)
            every flag also reads from the environment: --rtmp-port <-> LIVESTREAM_RTMP_PORT, --data <-> LIVESTREAM_DATA;
            KAFKA_BOOTSTRAP and REDIS_URL use external Kafka / Redis instead of the embedded ones;
            LIVESTREAM_ADMIN_TOKEN sets the operator token (else one is made on the first start, kept in DIR/admin.token)""";

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
                s.get("ladder", "source,720p:2800,480p:1400,360p:800"), s.get("preset", "veryfast"),
                nonNegative(s.integer("max-streams-per-broadcaster", 0), "--max-streams-per-broadcaster"),
                nonNegative(s.integer("max-live-per-broadcaster", 0), "--max-live-per-broadcaster"),
                s.integer("flink-metrics-port", DEFAULT_FLINK_METRICS_PORT),
                s.integer("https-port", DEFAULT_HTTPS_PORT),
                positive(s.integer("part-target-ms", (int) io.livestream.jobs.media.TranscodeSettings.DEFAULT_PART_TARGET_MS), "--part-target-ms"));
        s.rejectUnknown();
        return config;
    }

    private static int positive(int value, String flag) {
        if (value <= 0) throw new IllegalArgumentException(flag + " must be positive");
        return value;
    }

    private static int nonNegative(int value, String flag) {
        if (value < 0) throw new IllegalArgumentException(flag + " must be 0 (no limit) or more");
        return value;
    }

    public Path dataDir() {
        return infra.dataDir();
    }
}
