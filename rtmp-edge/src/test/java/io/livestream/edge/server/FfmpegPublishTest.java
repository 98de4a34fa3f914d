package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.edge.ingest.InMemoryIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.InMemoryPublishGate;
import io.livestream.edge.session.PublishDecision;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real client: the bytedeco ffmpeg program publishes over RTMP to an RtmpServer on a free port. */
class FfmpegPublishTest {
    private static final String KEY = "live_0123456789abcdef0123456789abcdef";

    private final InMemoryIngestSink sink = new InMemoryIngestSink();
    private final InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of(KEY, "stream-1"));
    private final EdgeMetrics metrics = new EdgeMetrics();
    private RtmpServer server;
    private int port;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        server = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, 0), gate, sink, metrics);
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void ffmpegPublishArrivesAsIngestRecords() throws Exception {
        Process ffmpeg = Ffmpeg.publish("rtmp://127.0.0.1:" + port + "/live/" + KEY, 3, tmp.resolve("ffmpeg.log"));
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(tmp.resolve("ffmpeg.log"))).isZero();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gate.ended().size() == 1);

        List<IngestRecord> records = sink.records();
        List<IngestRecord> video = records.stream().filter(r -> r.kind() == IngestRecord.Kind.VIDEO).toList();
        List<IngestRecord> audio = records.stream().filter(r -> r.kind() == IngestRecord.Kind.AUDIO).toList();
        assertThat(records).allSatisfy(r -> {
            assertThat(r.streamId()).isEqualTo("stream-1");
            assertThat(r.sessionId()).isEqualTo(((PublishDecision.Accepted) gate.decisions().get(0)).sessionId());
        });
        assertThat(records.stream().filter(r -> r.kind() == IngestRecord.Kind.DATA).findFirst()).hasValueSatisfying(d ->
                assertThat(new String(d.payload(), java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("\u0002\u0000\nonMetaData"));

        assertThat(video.get(0).sequenceHeader()).as("AVC sequence header first").isTrue();
        assertThat(video.get(0).codec()).isEqualTo("avc1");
        assertThat(audio.get(0).sequenceHeader()).as("AAC config first").isTrue();
        assertThat(audio.get(0).codec()).isEqualTo("mp4a");

        List<IngestRecord> frames = video.stream().filter(r -> !r.sequenceHeader() && r.payload().length > 5).toList();
        assertThat(frames.size()).as("video frames of 3 s at 30 fps").isBetween(85, 95);
        assertThat(frames.get(0).keyframe()).as("first frame starts a GOP").isTrue();
        long firstTs = frames.get(0).timestampMs(); // ffmpeg starts the timeline at the AAC priming delay, not 0
        assertThat(frames.stream().filter(IngestRecord::keyframe).map(r -> r.timestampMs() - firstTs).toList())
                .as("a keyframe every 30 frames").containsExactly(0L, 1000L, 2000L);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).timestampMs()).isGreaterThan(frames.get(i - 1).timestampMs());
        }
        assertThat(audio.size()).as("AAC frames of ~3 s").isGreaterThan(100);

        assertThat(gate.decisions()).hasSize(1);
        assertThat(gate.ended()).hasSize(1);
        // ffmpeg at the end of its input unpublishes: the session's last record says so, after every frame
        assertThat(records.get(records.size() - 1).isEndOfSession()).isTrue();
        assertThat(records.stream().filter(IngestRecord::isEndOfSession)).hasSize(1);
        assertThat(records.get(records.size() - 1).timestampMs()).isEqualTo(video.get(video.size() - 1).timestampMs());
        assertThat(metrics.scrape())
                .contains("rtmp_edge_publishers 0.0")
                .contains("rtmp_edge_records_produced_total " + (records.size() - 1) + ".0")
                .doesNotContain(KEY);

        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("rtmp_edge_bytes_in_total");
    }

    @Test
    void wrongKeyMakesFfmpegFailAndNothingIsIngested() throws Exception {
        Process ffmpeg = Ffmpeg.publish("rtmp://127.0.0.1:" + port + "/live/live_wrong", 3, tmp.resolve("ffmpeg.log"));
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).isNotZero();
        assertThat(sink.records()).isEmpty();
        assertThat(gate.ended()).isEmpty();
        assertThat(metrics.scrape()).contains("rtmp_edge_publishes_refused_total 1.0");
    }

    /** Runs the ffmpeg program shipped in the bytedeco jar. */
    static final class Ffmpeg {
        static Process publish(String url, int seconds, Path log) throws IOException {
            return FfmpegProgram.publishTestPattern(url, "320x240", 30, seconds, log);
        }
    }
}
