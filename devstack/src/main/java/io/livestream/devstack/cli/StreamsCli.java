package io.livestream.devstack.cli;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.devstack.infra.EmbeddedRedis;
import io.livestream.devstack.infra.FreePorts;
import io.livestream.devstack.infra.InfraConfig;
import io.livestream.devstack.infra.Infrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.admin.AdminTokenFile;
import io.livestream.common.admin.AdminTokens;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;

/**
 * {@code streams create --title T [--broadcaster B] [--ladder source,720p,...]} and {@code streams list}.
 *
 * <p>{@code create} goes through the running platform's API (LIVESTREAM_API, else http://localhost:8080) with the
 * operator token (LIVESTREAM_ADMIN_TOKEN, else {@code <data>/admin.token}, else {@code <data>/cluster/admin.token}),
 * so the API's checks and quotas apply. With no API answering, and for {@code list}, it talks to the platform's Redis
 * and Kafka (REDIS_URL / KAFKA_BOOTSTRAP, else localhost:6379 / localhost:9092). When the default addresses answer
 * nothing, it starts the embedded servers on the data directory (LIVESTREAM_DATA, else ./data) for the length of the
 * command, so it works before the platform was ever started; an address given explicitly must answer.
 */
public final class StreamsCli {
    public static final String DEFAULT_KAFKA = "localhost:" + InfraConfig.DEFAULT_KAFKA_PORT;
    public static final String DEFAULT_REDIS = "redis://localhost:" + InfraConfig.DEFAULT_REDIS_PORT;
    public static final String ENV_REDIS_PREFIX = "LIVESTREAM_REDIS_PREFIX";
    public static final String ENV_API = "LIVESTREAM_API";
    public static final String DEFAULT_API = "http://localhost:8080";
    /** Who owns a stream created without --broadcaster through the API (which needs a broadcaster id). */
    static final String DEFAULT_BROADCASTER = "operator";
    public static final String INGEST_BASE = "rtmp://localhost:1935/live/";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final int PROBE_TIMEOUT_MILLIS = 500;
    private static final DateTimeFormatter CREATED_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String USAGE_TEXT = """
            usage: streams create --title TITLE [--broadcaster ID] [--ladder source,720p,480p,360p]
                   streams list
            environment: LIVESTREAM_API (default http://localhost:8080), LIVESTREAM_ADMIN_TOKEN (default: DATA/admin.token),
                         REDIS_URL, KAFKA_BOOTSTRAP, LIVESTREAM_DATA (embedded servers' data, default ./data)""";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final String defaultKafka;
    private final String defaultRedis;
    private final String defaultApi;

    StreamsCli(Map<String, String> env, PrintStream out, PrintStream err, String defaultKafka, String defaultRedis, String defaultApi) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.defaultKafka = defaultKafka;
        this.defaultRedis = defaultRedis;
        this.defaultApi = defaultApi;
    }

    public static void main(String[] args) {
        int status = new StreamsCli(System.getenv(), System.out, System.err, DEFAULT_KAFKA, DEFAULT_REDIS, DEFAULT_API).run(args);
        System.exit(status);
    }

    int run(String[] rawArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(rawArgs));
        if (!args.isEmpty() && args.get(0).equals("streams")) args.remove(0);
        if (args.isEmpty()) return usage("missing command");
        try {
            return switch (args.get(0)) {
                case "create" -> create(args.subList(1, args.size()));
                case "list" -> args.size() == 1 ? list() : usage("list takes no arguments");
                case "help", "--help", "-h" -> {
                    out.println(USAGE_TEXT);
                    yield OK;
                }
                default -> usage("unknown command '" + args.get(0) + "'");
            };
        } catch (RuntimeException e) {
            err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return FAILED;
        }
    }

    private int create(List<String> args) {
        String title = null;
        String broadcaster = null;
        List<String> ladder = null;
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (i + 1 >= args.size()) return usage(name + " needs a value");
            String value = args.get(++i);
            switch (name) {
                case "--title" -> title = value;
                case "--broadcaster" -> broadcaster = value;
                case "--ladder" -> ladder = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                default -> {
                    return usage("unknown option " + name);
                }
            }
        }
        if (title == null || title.isBlank()) return usage("create needs --title");
        String api = reachableApiOrNull();
        if (api != null) return createThroughApi(api, title, broadcaster, ladder);

        InfraConfig config = InfraConfig.fromEnvironment(env).withPorts(0, 0)
                .withExternalRedis(reachableRedisOrNull())
                .withExternalKafka(reachableKafkaOrNull());
        if (config.externalKafka() == null || config.externalRedis() == null) {
            err.println("platform not reachable; starting embedded servers on " + config.dataDir() + " for this command");
        }
        try (Infrastructure infra = Infrastructure.start(config);
             RedisClient redis = RedisClient.create(URI.create(infra.redisUri()));
             StreamEventPublisher events = new KafkaStreamEventPublisher(infra.bootstrapServers())) {
            CreatedStream created = registry(redis, events).create(title, broadcaster, ladder);
            out.println("stream created");
            out.println("  id:         " + created.stream().id());
            out.println("  title:      " + created.stream().title());
            out.println("  stream key: " + created.streamKey() + "   (shown only this once: store it now)");
            out.println("  ingest URL: " + INGEST_BASE + created.streamKey());
            return OK;
        }
    }

    /** POST /api/streams with the operator token: the API's validation and quotas apply as for any other caller. */
    private int createThroughApi(String api, String title, String broadcaster, List<String> ladder) {
        String token = operatorToken();
        if (token == null) {
            err.println("error: the platform at " + api + " needs the operator token: set " + AdminTokens.ENV + " or run this where "
                    + InfraConfig.fromEnvironment(env).dataDir().resolve(AdminTokenFile.NAME) + " is");
            return FAILED;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("broadcasterId", broadcaster != null ? broadcaster : DEFAULT_BROADCASTER);
        if (ladder != null) body.put("ladder", ladder);
        HttpResponse<String> response;
        JsonNode answer;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + "/api/streams"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.toString(body))).build(), HttpResponse.BodyHandlers.ofString());
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the API at " + api + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
        if (response.statusCode() != 201) {
            err.println("error: the API refused (" + response.statusCode() + "): " + answer.path("error").asText(response.body()));
            return FAILED;
        }
        out.println("stream created");
        out.println("  id:         " + answer.path("id").asText());
        out.println("  title:      " + answer.path("title").asText());
        out.println("  stream key: " + answer.path("streamKey").asText() + "   (shown only this once: store it now)");
        out.println("  ingest URL: " + answer.path("ingestUrl").asText());
        out.println("  broadcaster token: " + answer.path("broadcasterToken").asText() + "   (to end the stream and rotate its key)");
        return OK;
    }

    /** LIVESTREAM_ADMIN_TOKEN, else the dev stack's data/admin.token, else the cluster's data/cluster/admin.token. */
    private String operatorToken() {
        String fromEnv = env.get(AdminTokens.ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv.strip();
        Path data = InfraConfig.fromEnvironment(env).dataDir();
        return AdminTokenFile.read(data.resolve(AdminTokenFile.NAME))
                .or(() -> AdminTokenFile.read(data.resolve("cluster").resolve(AdminTokenFile.NAME))).orElse(null);
    }

    /** The platform's API if it answers; null when the default does not (create through Redis instead). */
    private String reachableApiOrNull() {
        String configured = env.get(ENV_API);
        String api = configured != null && !configured.isBlank() ? configured.strip().replaceAll("/+$", "") : defaultApi;
        URI parsed = URI.create(api);
        int port = parsed.getPort() < 0 ? 80 : parsed.getPort();
        if (parsed.getHost() != null && FreePorts.isListening(parsed.getHost(), port, PROBE_TIMEOUT_MILLIS)) return api;
        if (configured != null && !configured.isBlank()) throw new UnreachableException("the API at " + api + " (" + ENV_API + ") is not reachable");
        return null;
    }

    private int list() {
        String external = reachableRedisOrNull();
        EmbeddedRedis embedded = null;
        if (external == null) {
            InfraConfig config = InfraConfig.fromEnvironment(env);
            err.println("platform not reachable; starting embedded redis on " + config.redisDir() + " for this command");
            embedded = EmbeddedRedis.start(config.redisDir(), 0);
        }
        try (RedisClient redis = RedisClient.create(URI.create(external != null ? external : embedded.uri()))) {
            out.print(formatTable(registry(redis, StreamEventPublisher.NONE).list(), ZoneId.systemDefault()));
            return OK;
        } finally {
            if (embedded != null) embedded.close();
        }
    }

    /** The stream table: one header row, one row per stream, columns padded to their widest cell. */
    static String formatTable(List<StreamInfo> streams, ZoneId zone) {
        if (streams.isEmpty()) return "no streams yet: create one with  streams create --title \"My stream\"\n";
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "TITLE", "CREATED"});
        for (StreamInfo s : streams) {
            rows.add(new String[] {s.id(), s.status().wireName(), s.title(),
                    CREATED_FORMAT.format(Instant.ofEpochMilli(s.createdAt()).atZone(zone))});
        }
        int[] widths = new int[4];
        for (String[] row : rows) for (int c = 0; c < 4; c++) widths[c] = Math.max(widths[c], row[c].length());
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < 4; c++) {
                table.append(c < 3 ? String.format("%-" + widths[c] + "s  ", row[c]) : row[c]);
            }
            table.append('\n');
        }
        return table.toString();
    }

    private StreamRegistry registry(RedisClient redis, StreamEventPublisher events) {
        String prefix = env.getOrDefault(ENV_REDIS_PREFIX, StreamRegistry.DEFAULT_KEY_PREFIX);
        return new StreamRegistry(redis, events, Clock.SYSTEM, prefix);
    }

    /** The configured Redis if it answers; null when the default does not answer (embed one instead). */
    private String reachableRedisOrNull() {
        String configured = InfraConfig.redisUri(env.get(InfraConfig.ENV_REDIS));
        String uri = configured != null ? configured : defaultRedis;
        URI parsed = URI.create(uri);
        int port = parsed.getPort() < 0 ? InfraConfig.DEFAULT_REDIS_PORT : parsed.getPort();
        if (FreePorts.isListening(parsed.getHost(), port, PROBE_TIMEOUT_MILLIS)) return uri;
        if (configured != null) throw new UnreachableException("Redis at " + uri + " (REDIS_URL) is not reachable");
        return null;
    }

    /** The configured Kafka if any of its bootstrap servers answers; null when the default does not. */
    private String reachableKafkaOrNull() {
        String configured = env.get(InfraConfig.ENV_KAFKA);
        String servers = configured != null && !configured.isBlank() ? configured.trim() : defaultKafka;
        for (String server : servers.split(",")) {
            int colon = server.lastIndexOf(':');
            if (colon < 0) continue;
            String host = server.substring(0, colon).trim();
            int port = Integer.parseInt(server.substring(colon + 1).trim());
            if (FreePorts.isListening(host, port, PROBE_TIMEOUT_MILLIS)) return servers;
        }
        if (configured != null && !configured.isBlank()) {
            throw new UnreachableException("Kafka at " + servers + " (KAFKA_BOOTSTRAP) is not reachable");
        }
        return null;
    }

    private int usage(String problem) {
        err.println("error: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static final class UnreachableException extends RuntimeException {
        UnreachableException(String message) {
            super(message);
        }
    }
}
