package io.livestream.devstack;

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
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                flags.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length) {
                flags.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
        }
        Settings s = new Settings(flags, env);
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

    /** Reads flags first, then LIVESTREAM_* environment variables, and remembers which flags were used. */
    private static final class Settings {
        private final Map<String, String> flags;
        private final Map<String, String> env;
        private final java.util.Set<String> known = new java.util.HashSet<>();

        Settings(Map<String, String> flags, Map<String, String> env) {
            this.flags = flags;
            this.env = env;
        }

        String get(String name, String fallback) {
            known.add(name);
            String value = flags.get(name);
            if (value == null) value = env.get("LIVESTREAM_" + name.toUpperCase().replace('-', '_'));
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int port(String name, int fallback) {
            String value = get(name, null);
            if (value == null) return fallback;
            try {
                int port = Integer.parseInt(value);
                if (port < 0 || port > 65535) throw new NumberFormatException();
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a port number 0-65535, got '" + value + "'");
            }
        }

        void rejectUnknown() {
            for (String flag : flags.keySet()) {
                if (!known.contains(flag)) throw new IllegalArgumentException("unknown flag --" + flag);
            }
        }
    }
}
