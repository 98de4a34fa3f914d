package io.livestream.origin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.json.Json;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.registry.InMemoryStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.TestRedis;
import io.livestream.common.time.Clock;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.origin.dvr.DvrResources;
import io.livestream.origin.dvr.RecordingStore;
import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.store.SegmentStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The operator token, the stream quota and deletion of streams and recordings on a real origin HTTP server with a real
 * redis-server and recordings on disk.
 */
class OperatorApiTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String OPERATOR = "lsa_operator-api-test";
    private static final String CREATE = "{\"title\":\"show\",\"broadcasterId\":\"ann\"}";

    @TempDir
    Path recordingsDir;
    private OriginServer server;
    private StreamRegistry registry;
    private RecordingStore recordings;
    private RedisClient redis;
    private String prefix;
    private String base;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.get().client();
        prefix = "op-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        new AdminTokenStore(redis, prefix).replace(OPERATOR);
        registry = new StreamRegistry(redis, new InMemoryStreamEventPublisher(), Clock.SYSTEM, prefix, 15_000);
        recordings = new RecordingStore(DvrConfig.defaults().withDirectory(recordingsDir));
        DvrResources dvr = new DvrResources(recordings);
        ApiConfig config = ApiConfig.defaults(TestRedis.get().uri()).withKeyPrefix(prefix).withMaxStreamsPerBroadcaster(2);
        SegmentStore store = new SegmentStore();
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store,
                ControlApi.routes(registry, redis, store, dvr, null, config, List.of()).with(dvr.routes()));
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void creatingAStreamNeedsTheOperatorToken() throws Exception {
        expect(send("POST", "/api/streams", CREATE, null), 401, OperatorAuth.MISSING);
        expect(send("POST", "/api/streams", CREATE, "lsa_not-the-token"), 403, OperatorAuth.WRONG);
        HttpResponse<String> created = send("POST", "/api/streams", CREATE, OPERATOR);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("streamKey").asText()).startsWith("live_");
        assertThat(registry.list()).as("only the authorised create made a stream").hasSize(1);
    }

    @Test
    void theOperatorTokenOpensEveryStreamsBroadcasterActions() throws Exception {
        String id = json(send("POST", "/api/streams", CREATE, OPERATOR)).get("id").asText();
        HttpResponse<String> rotated = send("POST", "/api/streams/" + id + "/key/rotate", "", OPERATOR);
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(registry.checkStreamKey(id, json(rotated).get("streamKey").asText())).isTrue();
        registry.goLive(id).orElseThrow();
        assertThat(send("POST", "/api/streams/" + id + "/end", "", OPERATOR).statusCode()).isEqualTo(200);
    }

    @Test
    void aBroadcasterGetsNoMoreStreamsThanTheQuota() throws Exception {
        assertThat(send("POST", "/api/streams", CREATE, OPERATOR).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/streams", CREATE, OPERATOR).statusCode()).isEqualTo(201);
        HttpResponse<String> third = send("POST", "/api/streams", CREATE, OPERATOR);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(json(third).get("error").asText()).contains("broadcaster ann has 2 streams");
        assertThat(send("POST", "/api/streams", "{\"title\":\"show\",\"broadcasterId\":\"bob\"}", OPERATOR).statusCode()).isEqualTo(201);
    }

    @Test
    void deletingALiveStreamEndsItAndRemovesItAndItsKey() throws Exception {
        JsonNode created = json(send("POST", "/api/streams", CREATE, OPERATOR));
        String id = created.get("id").asText();
        String key = created.get("streamKey").asText();
        registry.goLive(id).orElseThrow();

        expect(send("DELETE", "/api/streams/" + id, null, null), 401, OperatorAuth.MISSING);
        expect(send("DELETE", "/api/streams/" + id, null, created.get("broadcasterToken").asText()), 403, OperatorAuth.WRONG);
        HttpResponse<String> deleted = send("DELETE", "/api/streams/" + id, null, OPERATOR);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json(deleted).get("wasLive").asBoolean()).isTrue();

        expect(send("GET", "/api/streams/" + id, null, null), 404, "unknown stream");
        assertThat(registry.findByKey(key)).as("the key is gone").isEmpty();
        assertThat(registry.live()).isEmpty();
        expect(send("DELETE", "/api/streams/" + id, null, OPERATOR), 404, "unknown stream");
    }

    @Test
    void deletingARecordingRemovesItsFilesButNotWhileItIsLive() throws Exception {
        String id = json(send("POST", "/api/streams", CREATE, OPERATOR)).get("id").asText();
        String session = registry.goLive(id).orElseThrow();
        recordings.onMediaRecord(segment(id, session));
        assertThat(send("GET", "/vod/" + session + "/master.m3u8", null, null).statusCode()).isEqualTo(200);
        Path sessionDir = recordingsDir.resolve(session);
        assertThat(sessionDir.resolve("360p").resolve("1.ts")).exists();

        expect(send("DELETE", "/api/recordings/" + session, null, null), 401, OperatorAuth.MISSING);
        expect(send("DELETE", "/api/recordings/" + session, null, OPERATOR), 409, "the session is live: end the stream first");
        registry.end(id, session, "unpublish");

        HttpResponse<String> deleted = send("DELETE", "/api/recordings/" + session, null, OPERATOR);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(Files.exists(sessionDir)).as("the session's files are gone").isFalse();
        assertThat(json(send("GET", "/api/streams/" + id + "/recordings", null, null)).get("recordings")).isEmpty();
        assertThat(send("GET", "/vod/" + session + "/master.m3u8", null, null).statusCode()).isEqualTo(404);
        expect(send("DELETE", "/api/recordings/" + session, null, OPERATOR), 404, "no such recording");
        expect(send("DELETE", "/api/recordings/NOT..valid", null, OPERATOR), 400, "illegal path");
    }

    private static MediaRecord segment(String streamId, String sessionId) {
        return new MediaRecord(streamId, sessionId, "360p", MediaRecord.Type.SEGMENT, 1, -1, 2.0, 0, true, false,
                "avc1.42c01e,mp4a.40.2", 640, 360, 30, 800_000, System.currentTimeMillis(), new byte[] {0x47, 1, 2});
    }

    private static void expect(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).get("error").asText()).isEqualTo(error);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
