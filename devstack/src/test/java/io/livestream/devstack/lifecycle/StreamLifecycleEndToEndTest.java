package io.livestream.devstack.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.common.time.Clock;
import io.livestream.devstack.SharedInfra;
import io.livestream.devstack.flink.FlinkCluster;
import io.livestream.edge.ingest.KafkaIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.edge.server.RtmpServer;
import io.livestream.edge.session.RegistryPublishGate;
import io.livestream.jobs.HealthJob;
import io.livestream.jobs.TranscodeJob;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.origin.http.OriginConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.util.ParameterTool;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end, one shared pipeline: the API on the origin, ffmpeg publishing to a real edge, Kafka, the
 * transcode and health jobs in a MiniCluster, recordings on disk, ffprobe playing them back.
 */
class StreamLifecycleEndToEndTest {
    private static final long GRACE_MS = 6_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static SharedInfra infra;
    private static FlinkCluster flink;
    private static HlsOrigin origin;
    private static KafkaIngestSink sink;
    private static RtmpServer edge;
    private static AutoCloseable endedSubscription;
    private static KafkaStreamEventPublisher events;
    private static String api;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPipeline() throws Exception {
        infra = SharedInfra.get();
        String prefix = infra.uniqueKeyPrefix();
        events = new KafkaStreamEventPublisher(infra.bootstrapServers());
        StreamRegistry edgeRegistry = new StreamRegistry(infra.redis(), events, Clock.SYSTEM, prefix, GRACE_MS);

        flink = FlinkCluster.start(0, 4);
        ParameterTool args = ParameterTool.fromMap(Map.of(
                "bootstrap", infra.bootstrapServers(),
                "group-id", "lifecycle-e2e-" + prefix,
                "health-group-id", "lifecycle-e2e-health-" + prefix,
                "preset", "ultrafast",
                "ladder", "source,180p:200",
                // as in the dev stack: a dropped publisher's playlists end with the grace, a clean stop's at once
                "idle-timeout-ms", String.valueOf(GRACE_MS),
                "silence-ms", "2000",
                "start-timestamp-ms", String.valueOf(System.currentTimeMillis()),
                "checkpoint-dir", tmp.resolve("checkpoints").toUri().toString()))
                // the lifecycle branch of the health job decides reconnecting / ended from the media
                .mergeWith(ParameterTool.fromMap(Map.of("redis", infra.redisUri(), "key-prefix", prefix,
                        "reconnect-grace-ms", String.valueOf(GRACE_MS))));
        JobID transcode = flink.submit(TranscodeJob.JOB_NAME, FlinkCluster.withParallelism(TranscodeJob.jobConfiguration(args), 1),
                TranscodeJob.fromArgs(args)::build);
        JobID health = flink.submit(HealthJob.JOB_NAME, FlinkCluster.withParallelism(HealthJob.jobConfiguration(args), 1),
                HealthJob.fromArgs(args)::build);
        flink.awaitRunning(transcode, Duration.ofSeconds(60));
        flink.awaitRunning(health, Duration.ofSeconds(60));

        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        sink = new KafkaIngestSink(infra.bootstrapServers());
        edge = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, -1),
                new RegistryPublishGate(edgeRegistry, "live"), sink, new EdgeMetrics());
        int rtmpPort = edge.start();
        endedSubscription = edgeRegistry.subscribeEnded(ended -> edge.disconnect(ended.streamId(), ended.sessionId()));

        origin = new HlsOrigin(HlsOriginConfig.defaults(infra.bootstrapServers())
                .withHttp(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(httpPort))
                .withApi(ApiConfig.defaults(infra.redisUri()).withKeyPrefix(prefix).withPublicHost("127.0.0.1", rtmpPort, httpPort)
                        .withReconnectGraceMs(GRACE_MS))
                .withDvr(DvrConfig.defaults().withDirectory(tmp.resolve("recordings"))));
        origin.start();
        api = "http://127.0.0.1:" + httpPort;
        operator = infra.operatorToken(prefix);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (endedSubscription != null) endedSubscription.close();
        if (edge != null) edge.close();
        if (sink != null) sink.close();
        if (origin != null) origin.close();
        if (flink != null) flink.close();
        if (events != null) events.close();
    }

    @Test
    void createPublishGoLiveStopEndAndPlayTheRecording() throws Exception {
        JsonNode created = json(post("/api/streams", "{\"title\":\"lifecycle\",\"broadcasterId\":\"e2e\"}", operator), 201);
        String id = created.get("id").asText();
        Process ffmpeg = FfmpegProgram.publishTestPattern(created.get("ingestUrl").asText(), "320x240", 30, 6, tmp.resolve("ffmpeg1.log"));

        // live in the API within 1 s of the publish starting (the registry's liveSince)
        Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> liveIds().contains(id));
        long seenAt = System.currentTimeMillis();
        long liveSince = Instant.parse(json(get("/api/streams/" + id), 200).get("startedAt").asText()).toEpochMilli();
        assertThat(seenAt - liveSince).as("ms from go-live to /api/streams/live").isLessThan(1_000);

        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(tmp.resolve("ffmpeg1.log"))).isZero();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> json(get("/api/streams/" + id), 200).get("status").asText().equals("ended"));
        assertThat(json(get("/api/streams/" + id), 200).get("endReason").asText()).isEqualTo("unpublish");
        long stoppedAt = System.currentTimeMillis();
        // a clean stop is final: the playlists end at once, not after the reconnect grace
        Awaitility.await().atMost(3, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/live/" + id + "/source/index.m3u8").body().contains("#EXT-X-ENDLIST"));
        assertThat(System.currentTimeMillis() - stoppedAt).isLessThan(GRACE_MS / 2);

        JsonNode recording = awaitCompleteRecording(id);
        assertThat(recording.get("durationSec").asDouble()).isCloseTo(6.0, Offset.offset(1.0));
        assertThat(recording.get("renditions")).hasSize(2);
        for (JsonNode rendition : recording.get("renditions")) {
            String url = api + "/vod/" + recording.get("sessionId").asText() + "/" + rendition.asText() + "/index.m3u8";
            assertThat(get(url).body()).contains("#EXT-X-PLAYLIST-TYPE:VOD").contains("#EXT-X-ENDLIST");
            assertThat(probeDuration(url)).as(rendition.asText()).isCloseTo(6.0, Offset.offset(1.0));
        }
        assertThat(probeDuration(recording.get("playbackUrl").asText())).isCloseTo(6.0, Offset.offset(1.0));

        JsonNode healthBody = json(get("/api/streams/" + id + "/health"), 200);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> json(get("/api/streams/" + id + "/health"), 200).get("history").size() > 0);
        healthBody = json(get("/api/streams/" + id + "/health"), 200);
        assertThat(healthBody.get("latest").get("fps").asDouble()).isBetween(25.0, 35.0);
    }

    @Test
    void aReconnectWithinTheGraceKeepsTheSessionWithOneDiscontinuity() throws Exception {
        JsonNode created = json(post("/api/streams", "{\"title\":\"blip\",\"broadcasterId\":\"e2e\"}", operator), 201);
        String id = created.get("id").asText();
        String ingest = created.get("ingestUrl").asText();

        Process first = FfmpegProgram.publishTestPattern(ingest, "320x240", 30, 30, tmp.resolve("ffmpeg2.log"));
        Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> liveIds().contains(id));
        String session = json(get("/api/streams/" + id), 200).get("sessionId").asText();
        Thread.sleep(3_000);
        first.destroyForcibly(); // a network blip: the connection drops without an unpublish
        first.waitFor(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> json(get("/api/streams/" + id), 200).path("reconnecting").asBoolean());
        assertThat(liveIds()).as("still live during the grace").contains(id);
        Thread.sleep(1_500); // the publisher comes back with its clock from zero: the output resumes with a discontinuity

        Process second = FfmpegProgram.publishTestPattern(ingest, "320x240", 30, 3, tmp.resolve("ffmpeg3.log"));
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !json(get("/api/streams/" + id), 200).path("reconnecting").asBoolean());
        assertThat(json(get("/api/streams/" + id), 200).get("sessionId").asText()).isEqualTo(session);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

        JsonNode recording = awaitCompleteRecording(id);
        assertThat(recording.get("sessionId").asText()).isEqualTo(session);
        String playlist = get(api + "/vod/" + session + "/source/index.m3u8").body();
        assertThat(playlist.lines().filter(l -> l.equals("#EXT-X-DISCONTINUITY")).count()).as(playlist).isEqualTo(1);
        assertThat(json(get("/api/streams/" + id + "/recordings"), 200).get("recordings")).hasSize(1);
    }

    @Test
    void aPublisherThatVanishesIsEndedByTheLifecycleJobAfterTheGrace() throws Exception {
        JsonNode created = json(post("/api/streams", "{\"title\":\"vanish\",\"broadcasterId\":\"e2e\"}", operator), 201);
        String id = created.get("id").asText();
        Process ffmpeg = FfmpegProgram.publishTestPattern(created.get("ingestUrl").asText(), "320x240", 30, 30, tmp.resolve("ffmpeg4.log"));
        Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> liveIds().contains(id));
        Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> get("/live/" + id + "/source/index.m3u8").statusCode() == 200);
        ffmpeg.destroyForcibly();
        long killedAt = System.currentTimeMillis();
        ffmpeg.waitFor(10, TimeUnit.SECONDS);

        // nothing but the job can end it now: no edge sweeps, no publisher unpublished
        Awaitility.await().atMost(GRACE_MS + 10_000, TimeUnit.MILLISECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> json(get("/api/streams/" + id), 200).get("status").asText().equals("ended"));
        JsonNode ended = json(get("/api/streams/" + id), 200);
        assertThat(ended.get("endReason").asText()).isEqualTo("disconnect");
        assertThat(System.currentTimeMillis() - killedAt).isGreaterThanOrEqualTo(GRACE_MS - 1_000);
        assertThat(liveIds()).doesNotContain(id);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> get("/live/" + id + "/source/index.m3u8").body().contains("#EXT-X-ENDLIST"));
    }

    private static JsonNode awaitCompleteRecording(String id) throws Exception {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode list = json(get("/api/streams/" + id + "/recordings"), 200).get("recordings");
            return list.size() == 1 && list.get(0).get("complete").asBoolean();
        });
        return json(get("/api/streams/" + id + "/recordings"), 200).get("recordings").get(0);
    }

    private static List<String> liveIds() throws Exception {
        JsonNode live = json(get("/api/streams/live"), 200);
        return java.util.stream.StreamSupport.stream(live.spliterator(), false).map(n -> n.get("id").asText()).toList();
    }

    private static double probeDuration(String url) throws Exception {
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(), List.of("-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", url)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Double.parseDouble(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return Json.MAPPER.readTree(r.body());
    }

    private static String operator;

    private static HttpResponse<String> get(String pathOrUrl) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : api + pathOrUrl;
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
