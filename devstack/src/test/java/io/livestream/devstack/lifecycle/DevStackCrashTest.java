package io.livestream.devstack.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.infra.EmbeddedRedis;
import io.livestream.devstack.infra.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's crash test: the whole dev stack (its own JVM, as {@code ./livestream up} runs it) is killed with SIGKILL
 * mid-publish and started again on the same data directory. The stream must end by itself (nothing else is left to
 * end it: the edge died with the rest), its playlists end, the recording covers what was published up to the GOP
 * in flight, and a new publish on the same key numbers its segments on from the old ones.
 */
class DevStackCrashTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern MEDIA_SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();
    private List<String> flags;
    private String api;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        EmbeddedRedis.stopOrphan(tmp.resolve("data/redis")); // the killed JVMs' redis-server child
    }

    @Test
    void aKilledPlatformEndsTheStreamOnRestartAndNumbersTheNextSessionOnward() throws Exception {
        int http = FreePorts.pick(0);
        int rtmp = FreePorts.pick(0);
        flags = List.of("--data", tmp.resolve("data").toString(), "--http-port", String.valueOf(http),
                "--rtmp-port", String.valueOf(rtmp), "--chat-port", String.valueOf(FreePorts.pick(0)),
                "--dashboard-port", String.valueOf(FreePorts.pick(0)), "--metrics-port", String.valueOf(FreePorts.pick(0)),
                "--kafka-port", String.valueOf(FreePorts.pick(0)), "--redis-port", String.valueOf(FreePorts.pick(0)),
                "--flink-metrics-port", String.valueOf(FreePorts.pick(0)), "--https-port", String.valueOf(FreePorts.pick(0)), "--ladder", "source,180p:200", "--preset", "ultrafast");
        api = "http://127.0.0.1:" + http;

        Process first = startDevStack("first");
        JsonNode demo = Json.MAPPER.readTree(tmp.resolve("data/demo-stream.json").toFile());
        String id = demo.get("id").asText();
        String ingest = "rtmp://127.0.0.1:" + rtmp + "/live/" + demo.get("key").asText();

        Process ffmpeg = FfmpegProgram.publishTestPattern(ingest, "320x240", 30, 120, tmp.resolve("ffmpeg1.log"));
        processes.add(ffmpeg);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> status(id).equals("live"));
        long liveAt = System.currentTimeMillis();
        String session = stream(id).get("sessionId").asText();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> segmentCount(playlist(id)) >= 6);
        Thread.sleep(2_500); // past a checkpoint with the session open, mid-GOP

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, nothing ended cleanly
        double publishedSec = (System.currentTimeMillis() - liveAt) / 1000.0;
        ffmpeg.waitFor(30, TimeUnit.SECONDS);

        startDevStack("second");
        long restartedAt = System.currentTimeMillis();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> status(id).equals("ended"));
        assertThat(System.currentTimeMillis() - restartedAt).as("ms from restart to ended").isLessThan(30_000);
        assertThat(stream(id).get("endReason").asText()).isEqualTo("disconnect");
        assertThat(get("/api/streams/live").body()).doesNotContain(id);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> playlist(id).contains("#EXT-X-ENDLIST"));
        String ended = playlist(id);
        assertThat(ended).doesNotContain("#EXT-X-PRELOAD-HINT");
        long lastSequence = firstSequence(ended) + segmentCount(ended) - 1;

        JsonNode recording = Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> json(get("/api/streams/" + id + "/recordings")).get("recordings"),
                        list -> list.size() == 1 && list.get(0).get("complete").asBoolean()).get(0);
        assertThat(recording.get("sessionId").asText()).isEqualTo(session);
        // 1 s GOPs: at most the one in flight is lost (and the publish's first second before the first segment)
        assertThat(recording.get("durationSec").asDouble()).as("recorded of %.1f s published", publishedSec)
                .isGreaterThanOrEqualTo(publishedSec - 2.5);

        Process again = FfmpegProgram.publishTestPattern(ingest, "320x240", 30, 8, tmp.resolve("ffmpeg2.log"));
        processes.add(again);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> status(id).equals("live") && !stream(id).get("sessionId").asText().equals(session));
        String next = Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> playlist(id), p -> !p.contains("#EXT-X-ENDLIST") && lastSegmentSequence(p) > lastSequence);
        assertThat(firstSegmentAfterLastDiscontinuity(next))
                .as("the new session's first segment numbers on from the old session's last (%d)\n%s", lastSequence, next)
                .isEqualTo(lastSequence + 1);
    }

    private Process startDevStack(String name) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.livestream.devstack.DevStack"));
        command.addAll(flags);
        Path log = tmp.resolve("devstack-" + name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        Awaitility.await().atMost(240, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!p.isAlive()) throw new AssertionError("dev stack exited:\n" + Files.readString(log));
            return Files.readString(log).contains("livestream is ready");
        });
        return p;
    }

    private String status(String id) throws Exception {
        return stream(id).get("status").asText();
    }

    private JsonNode stream(String id) throws Exception {
        return json(get("/api/streams/" + id));
    }

    private String playlist(String id) throws Exception {
        HttpResponse<String> r = get("/live/" + id + "/source/index.m3u8");
        return r.statusCode() == 200 ? r.body() : "";
    }

    private static long segmentCount(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("#EXTINF")).count();
    }

    private static long firstSequence(String playlist) {
        Matcher m = MEDIA_SEQUENCE.matcher(playlist);
        assertThat(m.find()).as(playlist).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long lastSegmentSequence(String playlist) {
        return firstSequence(playlist) + segmentCount(playlist) - 1;
    }

    /** The media sequence number of the first segment after the last EXT-X-DISCONTINUITY (where the new session starts). */
    private static long firstSegmentAfterLastDiscontinuity(String playlist) {
        long sequence = firstSequence(playlist);
        long after = -1;
        boolean pending = false;
        for (String line : playlist.lines().toList()) {
            if (line.equals("#EXT-X-DISCONTINUITY")) pending = true;
            if (line.startsWith("#EXTINF")) {
                if (pending) after = sequence;
                pending = false;
                sequence++;
            }
        }
        assertThat(after).as("a discontinuity before the new session\n" + playlist).isGreaterThanOrEqualTo(0);
        return after;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
