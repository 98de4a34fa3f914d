package io.livestream.origin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.json.Json;
import io.livestream.common.registry.InMemoryStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.store.SegmentStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.livestream.common.testing.TestRedis;
import redis.clients.jedis.RedisClient;

/** The control API on a real origin HTTP server with a real redis-server behind the registry. */
class StreamsApiTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final InMemoryStreamEventPublisher EVENTS = new InMemoryStreamEventPublisher();
    private static RedisClient redis;
    private static StreamRegistry registry;
    private static HealthHistory health;
    private static OriginServer server;
    private static String base;
    private static final String OPERATOR = "lsa_streams-api-test-operator";

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.get().client();
        registry = new StreamRegistry(redis, EVENTS, Clock.SYSTEM, "api:", 15_000);
        new AdminTokenStore(redis, "api:").replace(OPERATOR);
        health = new HealthHistory();
        ApiConfig config = ApiConfig.defaults(TestRedis.get().uri()).withKeyPrefix("api:").withPublicHost("example.test", 1935, 8080);
        SegmentStore store = new SegmentStore();
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store,
                ControlApi.routes(registry, redis, store, null, health, config, List.of()));
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) server.close();
    }

    @Test
    void createStartGoLiveEndAndRotate() throws Exception {
        HttpResponse<String> created = post("/api/streams", "{\"title\":\"My show\",\"broadcasterId\":\"alice\",\"extra\":1}", OPERATOR);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = json(created);
        String id = c.get("id").asText();
        String key = c.get("streamKey").asText();
        String token = c.get("broadcasterToken").asText();
        assertThat(c.get("status").asText()).isEqualTo("idle");
        assertThat(c.get("ingestUrl").asText()).isEqualTo("rtmp://example.test:1935/live/" + key);
        assertThat(c.get("playbackUrl").asText()).isEqualTo("http://example.test:8080/live/" + id + "/master.m3u8");
        assertThat(c.get("viewerCount").asLong()).isZero();

        HttpResponse<String> got = get("/api/streams/" + id);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).doesNotContain(key).doesNotContain(token).contains("\"title\":\"My show\"");

        HttpResponse<String> start = post("/api/streams/" + id + "/start", "{\"streamKey\":\"" + key + "\"}", null);
        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(json(start).get("ingestUrl").asText()).endsWith("/live/" + key);

        String session = registry.goLive(id).orElseThrow(); // what the edge does when the publish begins
        redis.hset("api:viewers:" + id, java.util.Map.of("count", "42", "peak", "50", "updatedAt", "1"));
        health.add(Json.MAPPER.readTree("{\"streamId\":\"" + id + "\",\"at\":" + System.currentTimeMillis() + ",\"warnings\":[\"low-fps\"]}"));
        JsonNode live = json(get("/api/streams/live"));
        assertThat(live).hasSize(1);
        assertThat(live.get(0).get("id").asText()).isEqualTo(id);
        assertThat(live.get(0).get("status").asText()).isEqualTo("live");
        assertThat(live.get(0).get("startedAt").isTextual()).isTrue();
        assertThat(live.get(0).get("viewerCount").asLong()).isEqualTo(42);
        assertThat(live.get(0).get("health").get("status").asText()).isEqualTo("warning");
        JsonNode healthBody = json(get("/api/streams/" + id + "/health"));
        assertThat(healthBody.get("history")).hasSize(1);
        assertThat(healthBody.get("latest").get("warnings").get(0).asText()).isEqualTo("low-fps");

        assertThat(post("/api/streams/" + id + "/start", "{\"streamKey\":\"" + key + "\"}", null).statusCode()).as("already live").isEqualTo(409);

        HttpResponse<String> ended = post("/api/streams/" + id + "/end", "", token);
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(json(ended).get("status").asText()).isEqualTo("ended");
        assertThat(EVENTS.events()).anyMatch(e -> e.type().equals("ended") && e.sessionId().equals(session) && "api".equals(e.reason()));
        assertThat(post("/api/streams/" + id + "/end", "", token).statusCode()).as("not live").isEqualTo(409);

        HttpResponse<String> rotated = post("/api/streams/" + id + "/key/rotate", "", token);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newKey = json(rotated).get("streamKey").asText();
        assertThat(newKey).isNotEqualTo(key);
        assertThat(post("/api/streams/" + id + "/start", "{\"streamKey\":\"" + key + "\"}", null).statusCode()).as("old key").isEqualTo(401);
        assertThat(post("/api/streams/" + id + "/start", "{\"streamKey\":\"" + newKey + "\"}", null).statusCode()).isEqualTo(200);
    }

    @Test
    void errorTable() throws Exception {
        JsonNode c = json(post("/api/streams", "{\"title\":\"t\",\"broadcasterId\":\"b\"}", OPERATOR));
        String id = c.get("id").asText();
        String token = c.get("broadcasterToken").asText();
        String other = json(post("/api/streams", "{\"title\":\"t2\",\"broadcasterId\":\"b\"}", OPERATOR)).get("broadcasterToken").asText();

        expect(post("/api/streams", "{not json", OPERATOR), 400, "body is not valid JSON");
        expect(post("/api/streams", "[1,2]", OPERATOR), 400, "body must be a JSON object");
        expect(post("/api/streams", "", OPERATOR), 400, "body must be a JSON object");
        expect(post("/api/streams", "{\"broadcasterId\":\"b\"}", OPERATOR), 400, "missing field title");
        expect(post("/api/streams", "{\"title\":\"t\"}", OPERATOR), 400, "missing field broadcasterId");
        expect(post("/api/streams", "{\"title\":7,\"broadcasterId\":\"b\"}", OPERATOR), 400, "title must be a string");
        expect(post("/api/streams", "{\"title\":\"\",\"broadcasterId\":\"b\"}", OPERATOR), 400, "title must be 1-140 characters");
        expect(post("/api/streams", "{\"title\":\"" + "x".repeat(141) + "\",\"broadcasterId\":\"b\"}", OPERATOR), 400, "title must be 1-140 characters");
        assertThat(post("/api/streams", "{\"title\":\"" + "x".repeat(140) + "\",\"broadcasterId\":\"b\"}", OPERATOR).statusCode()).isEqualTo(201);
        expect(post("/api/streams/" + id + "/start", "{\"streamKey\":\"live_00000000000000000000000000000000\"}", null), 401, "wrong stream key");
        expect(post("/api/streams/" + id + "/start", "{\"streamKey\":\"nonsense\"}", null), 401, "wrong stream key");
        expect(post("/api/streams/" + id + "/start", "{}", null), 400, "missing field streamKey");
        expect(post("/api/streams/" + id + "/end", "", null), 401, "missing or wrong broadcaster token");
        expect(post("/api/streams/" + id + "/end", "", other), 401, "missing or wrong broadcaster token");
        expect(post("/api/streams/" + id + "/key/rotate", "", "bt_wrong"), 401, "missing or wrong broadcaster token");
        expect(post("/api/streams/" + id + "/end", "", token), 409, "not live");
        expect(get("/api/streams/nosuchstream"), 404, "unknown stream");
        expect(post("/api/streams/nosuchstream/end", "", token), 404, "unknown stream");
        expect(get("/api/nothing"), 404, "no such resource");
        expect(get("/api/streams/" + id + "/nothing"), 404, "no such resource");
        expect(send("PUT", "/api/streams/" + id, ""), 405, "method not allowed");
        expect(get("/api/streams/" + id + "/end"), 405, "method not allowed");
        expect(send("PUT", "/api/streams", "{}"), 405, "method not allowed");
        expect(get("/api/streams?limit=0"), 400, "limit must be 1-200");
        expect(get("/api/streams?limit=x"), 400, "limit must be 1-200");
        expect(get("/api/streams?cursor=%25%25"), 400, "malformed cursor");
        expect(post("/api/streams/" + id + "/start", "{\"streamKey\":", null), 400, "body is not valid JSON");
        expect(post("/api/streams", "{\"title\":\"" + "x".repeat(70 * 1024) + "\",\"broadcasterId\":\"b\"}", OPERATOR), 413, "request body over 64 KiB");
        assertThat(get("/api/streams/" + id + "/master.m3u8").body()).as("HLS routes stay the origin's").contains("unknown stream");
    }

    @Test
    void openApiAndReadiness() throws Exception {
        HttpResponse<String> doc = get("/api/openapi.json");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(json(doc).get("paths").has("/api/streams/{id}/end")).isTrue();
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("checks").get("redis").asText()).isEqualTo("up");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> preflight = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/streams"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-methods").orElseThrow()).contains("POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElseThrow()).contains("authorization");
    }

    @Test
    void readinessNamesTheDependencyThatIsDown() throws Exception {
        ReadinessHandler readiness = new ReadinessHandler(List.of(new ReadinessHandler.Check("redis", () -> true),
                new ReadinessHandler.Check("kafka", () -> false)));
        Resource ready = readiness.ready(new io.livestream.origin.http.Route.Ready(), null);
        assertThat(ready.status()).isEqualTo(503);
        JsonNode body = Json.MAPPER.readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("checks").get("redis").asText()).isEqualTo("up");
        assertThat(body.get("checks").get("kafka").asText()).isEqualTo("down");
    }

    @Test
    void viewersAnswerWithCountAndTheRenditions() throws Exception {
        String id = json(post("/api/streams", "{\"title\":\"v\",\"broadcasterId\":\"b\"}", OPERATOR)).get("id").asText();
        redis.hset("api:viewers:" + id, java.util.Map.of("count", "7", "peak", "9", "updatedAt", "5", "byRendition", "{\"720p\":7}"));
        JsonNode viewers = json(get("/api/streams/" + id + "/viewers"));
        assertThat(viewers.get("count").asLong()).isEqualTo(7);
        assertThat(viewers.get("peak").asLong()).isEqualTo(9);
        assertThat(viewers.get("byRendition").get("720p").asLong()).isEqualTo(7);
        assertThat(viewers.has("viewers")).as("one name per concept").isFalse();
        expect(get("/api/streams/nosuchstream/viewers"), 404, "unknown stream");
    }

    private static void expect(HttpResponse<String> response, int status, String error) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(json(response).get("error").asText()).isEqualTo(error);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
