package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.SharedInfra;
import io.livestream.edge.ingest.KafkaIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.edge.server.RtmpServer;
import io.livestream.edge.session.RegistryPublishGate;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2 end to end: the real ffmpeg program publishes over RTMP to the edge, which writes to the real Kafka broker,
 * with stream keys checked against the real Redis registry.
 */
class IngestEndToEndTest {
    private static SharedInfra infra;
    private static StreamRegistry registry;
    private static KafkaIngestSink sink;
    private static RtmpServer edge;
    private static int port;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startEdge() throws Exception {
        infra = SharedInfra.get();
        registry = infra.newRegistry();
        sink = new KafkaIngestSink(infra.bootstrapServers());
        edge = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, 0),
                new RegistryPublishGate(registry, "live"), sink, new EdgeMetrics());
        port = edge.start();
    }

    @AfterAll
    static void stopEdge() {
        edge.close();
        sink.close();
    }

    @Test
    void tenSecondsOfFfmpegArriveOnKafkaAfterAnotherConnectionSentGarbage() throws Exception {
        CreatedStream stream = registry.create("ingest e2e", "b1", null);
        String streamId = stream.stream().id();

        // a hostile client first: a valid C0/C1, then bytes that are no chunk stream at all
        try (Socket garbage = new Socket("127.0.0.1", port)) {
            garbage.setSoTimeout(5000);
            OutputStream out = garbage.getOutputStream();
            byte[] c1 = new byte[1536];
            new Random(1).nextBytes(c1);
            out.write(3);
            out.write(c1);
            out.flush();
            InputStream in = garbage.getInputStream();
            assertThat(in.readNBytes(1 + 1536 * 2)).hasSize(1 + 1536 * 2);
            out.write(c1); // C2
            byte[] junk = new byte[4096];
            new Random(2).nextBytes(junk);
            junk[0] = 0x02; // chunk stream 2, fmt 0 ...
            junk[4] = 0x7F; junk[5] = (byte) 0xFF; junk[6] = (byte) 0xFF; // ... with an absurd message length
            out.write(junk);
            out.flush();
            assertThat(closedByPeer(in)).as("the edge closes the hostile connection").isTrue();
        }

        Path log = tmp.resolve("ffmpeg.log");
        Process ffmpeg = FfmpegProgram.publishTestPattern(
                "rtmp://127.0.0.1:" + port + "/live/" + stream.streamKey(), "640x360", 30, 10, log);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(log)).isZero();

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() ->
                eventTypes(streamId).contains(StreamEvent.ENDED));
        assertThat(eventTypes(streamId)).containsExactly(StreamEvent.CREATED, StreamEvent.LIVE, StreamEvent.ENDED);

        List<IngestRecord> records = TopicReader.readKey(infra.bootstrapServers(), Topics.INGEST, streamId).stream()
                .map(IngestRecordCodec::fromConsumerRecord).toList();
        // one partition per stream id, so the records keep the order the edge produced them in
        List<IngestRecord> video = records.stream().filter(r -> r.kind() == IngestRecord.Kind.VIDEO).toList();
        List<IngestRecord> audio = records.stream().filter(r -> r.kind() == IngestRecord.Kind.AUDIO).toList();
        assertThat(video.get(0).sequenceHeader()).as("AVC sequence header first").isTrue();
        assertThat(video.get(0).codec()).isEqualTo("avc1");
        assertThat(audio.get(0).sequenceHeader()).as("AAC config first").isTrue();
        assertThat(audio.get(0).codec()).isEqualTo("mp4a");

        List<IngestRecord> frames = video.stream().filter(r -> !r.sequenceHeader()).toList();
        assertThat(frames.get(0).keyframe()).as("a keyframe starts the first GOP").isTrue();
        assertThat(frames).hasSizeBetween(290, 310);
        List<IngestRecord> keyframes = frames.stream().filter(IngestRecord::keyframe).toList();
        assertThat(keyframes).as("one keyframe per second (-g 30 at 30 fps)").hasSizeBetween(9, 11);
        for (int i = 1; i < keyframes.size(); i++) {
            assertThat(keyframes.get(i).timestampMs() - keyframes.get(i - 1).timestampMs()).isBetween(966L, 1034L);
        }
        assertRising(frames);
        assertRising(audio.subList(1, audio.size()));
        long span = frames.get(frames.size() - 1).timestampMs() - frames.get(0).timestampMs();
        assertThat(span).as("video spans about 10 s").isBetween(9_500L, 10_100L);
        assertThat(records).allSatisfy(r -> assertThat(r.sessionId()).isEqualTo(registry.get(streamId).orElseThrow().currentSessionId()));
    }

    @Test
    void wrongKeyMakesFfmpegFailAndPutsNothingOnKafka() throws Exception {
        long before = TopicReader.totalRecords(infra.bootstrapServers(), Topics.INGEST);
        Path log = tmp.resolve("ffmpeg-badkey.log");
        Process ffmpeg = FfmpegProgram.publishTestPattern(
                "rtmp://127.0.0.1:" + port + "/live/live_00000000000000000000000000000000", "320x240", 30, 3, log);
        assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as("ffmpeg fails on a refused publish").isNotZero();
        assertThat(TopicReader.totalRecords(infra.bootstrapServers(), Topics.INGEST)).isEqualTo(before);
    }

    private static void assertRising(List<IngestRecord> records) {
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).timestampMs()).as("timestamp %d", i).isGreaterThanOrEqualTo(records.get(i - 1).timestampMs());
        }
    }

    private static List<String> eventTypes(String streamId) {
        return TopicReader.readKey(infra.bootstrapServers(), Topics.STREAM_EVENTS, streamId).stream()
                .map(r -> Json.fromBytes(r.value(), StreamEvent.class).type()).toList();
    }

    /**
     * Whether the peer closed: end of stream, or a reset (a socket closed with the client's unread bytes still queued
     * is reset by the kernel instead of ended, which is what epoll's edge does when it drops a hostile client mid-read).
     */
    private static boolean closedByPeer(InputStream in) throws java.io.IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return "Connection reset".equals(e.getMessage());
        }
    }
}
