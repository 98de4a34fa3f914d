package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.PipelineFixture;
import io.livestream.devstack.SharedInfra;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 point 5 end to end: a real non-ffmpeg encoder (GStreamer's x264enc + avenc_aac, muxed by flvmux and sent
 * by rtmp2sink, as a GStreamer broadcaster would) publishes to the edge -> Kafka -> the transcode job -> Kafka. Its
 * timestamps are what such encoders really send (start-up gaps, equal video DTS, AAC tags in bursts); the ladder
 * must come out of one transcoder session: no restart, no discontinuity, every rendition's segments back to back
 * with strictly increasing DTS per elementary stream.
 */
class GStreamerPublishEndToEndTest {
    private static final int SECONDS = 20;
    private static final int FPS = 30;
    private static final String[] ELEMENTS = {"videotestsrc", "audiotestsrc", "x264enc", "h264parse", "avenc_aac", "aacparse", "flvmux", "rtmp2sink"};

    private static PipelineFixture pipeline;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPipeline() throws Exception {
        assumeThat(gstreamerHasElements())
                .as("gst-launch-1.0 with %s is needed (apt: gstreamer1.0-tools gstreamer1.0-plugins-{base,good,bad,ugly} gstreamer1.0-libav; "
                        + "scripts/ensure-prerequisites.sh --tests installs them)", String.join(", ", ELEMENTS))
                .isTrue();
        pipeline = new PipelineFixture(SharedInfra.get(), "ultrafast", sink -> sink);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aGStreamerPublishIsTranscodedInOneSessionWithContinuousSegments() throws Exception {
        CreatedStream stream = pipeline.registry().create("gstreamer e2e", "b1", null);
        String id = stream.stream().id();
        Path log = tmp.resolve("gst.log");
        // 854x480: the ladder is the source plus 360p, so both the passthrough muxer and libx264 see these timestamps
        Process gst = new ProcessBuilder("gst-launch-1.0", "-q",
                "videotestsrc", "is-live=true", "num-buffers=" + SECONDS * FPS, "pattern=ball", "!",
                "video/x-raw,width=854,height=480,framerate=" + FPS + "/1", "!",
                "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=" + FPS, "bitrate=1500", "!",
                "h264parse", "!", "flvmux", "name=mux", "streamable=true", "!",
                "rtmp2sink", "location=" + pipeline.rtmpUrl(stream.streamKey()),
                "audiotestsrc", "is-live=true", "wave=sine", "num-buffers=" + SECONDS * 44100 / 1024, "!",
                "audio/x-raw,rate=44100,channels=2", "!", "avenc_aac", "!", "aacparse", "!", "mux.")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(gst.waitFor(SECONDS + 30, TimeUnit.SECONDS)).as("gst-launch-1.0 ends at EOS").isTrue();
        } finally {
            gst.destroyForcibly();
        }
        assertThat(gst.exitValue()).as(Files.readString(log)).isZero();

        String bootstrap = SharedInfra.get().bootstrapServers();
        // the session ends after the job's idle timeout; then every rendition has its last segment and an END (a
        // session that failed and was dropped never sends one: the assertions below then say what broke)
        long deadline = System.currentTimeMillis() + 40_000;
        while (media(bootstrap, id).stream().filter(m -> m.type() == MediaRecord.Type.END).count() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
        }

        printIngestTimestampFigures(bootstrap, id);
        Map<String, List<MediaRecord>> segments = media(bootstrap, id).stream().filter(m -> m.type() == MediaRecord.Type.SEGMENT && m.container() == MediaRecord.Container.TS)
                .collect(Collectors.groupingBy(MediaRecord::rendition, TreeMap::new, Collectors.toList()));
        assertThat(segments.keySet()).containsExactly("360p", "source");
        for (Map.Entry<String, List<MediaRecord>> e : segments.entrySet()) {
            List<MediaRecord> list = e.getValue();
            String rendition = e.getKey();
            assertThat(list).as("%s: one segment per 1 s GOP", rendition).hasSizeBetween(SECONDS - 2, SECONDS + 1);
            assertThat(list).as("%s: no segment starts a new transcoder session", rendition).noneMatch(MediaRecord::discontinuity);
            assertThat(list).extracting(MediaRecord::sessionId).containsOnly(list.get(0).sessionId());
            for (int i = 0; i < list.size(); i++) {
                assertThat(list.get(i).sequence()).as("%s: sequence numbers without a gap", rendition).isEqualTo(i);
                if (i > 0) {
                    MediaRecord previous = list.get(i - 1);
                    assertThat(list.get(i).ptsMs()).as("%s segment %d starts where %d ended", rendition, i, i - 1)
                            .isCloseTo(previous.ptsMs() + Math.round(previous.durationSec() * 1000), org.assertj.core.data.Offset.offset(1L));
                }
            }
            assertDtsRiseAcrossTheRendition(rendition, list);
        }
    }

    /** The rendition's segments back to back, read by ffprobe: each elementary stream's DTS strictly increases. */
    private static void assertDtsRiseAcrossTheRendition(String rendition, List<MediaRecord> segments) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (MediaRecord s : segments) all.write(s.payload());
        Path file = Files.write(tmp.resolve(rendition + ".ts"), all.toByteArray());
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(), List.of("-v", "error", "-of", "json",
                "-show_entries", "packet=codec_type,dts", file.toString())).start();
        JsonNode packets = Json.MAPPER.readTree(p.getInputStream().readAllBytes()).get("packets");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Map<String, Long> last = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode packet : packets) {
            String type = packet.get("codec_type").asText();
            long dts = packet.get("dts").asLong();
            Long before = last.put(type, dts);
            counts.merge(type, 1, Integer::sum);
            if (before != null) assertThat(dts).as("%s %s DTS after %d", rendition, type, before).isGreaterThan(before);
        }
        assertThat(counts.get("video")).as("%s video frames", rendition).isBetween((SECONDS - 1) * FPS, SECONDS * FPS);
        assertThat(counts.get("audio")).as("%s AAC frames", rendition).isGreaterThan((SECONDS - 1) * 44100 / 1024);
    }

    /** What the publisher sent, for the record: how many tags did not advance their track's clock. */
    private static void printIngestTimestampFigures(String bootstrap, String id) {
        List<IngestRecord> ingest = TopicReader.readKey(bootstrap, Topics.INGEST, id).stream()
                .map(IngestRecordCodec::fromConsumerRecord).filter(r -> !r.sequenceHeader() && (r.kind() == IngestRecord.Kind.AUDIO || r.kind() == IngestRecord.Kind.VIDEO)).toList();
        Map<IngestRecord.Kind, Long> last = new TreeMap<>();
        Map<IngestRecord.Kind, Integer> notAdvancing = new TreeMap<>();
        Map<IngestRecord.Kind, Integer> total = new TreeMap<>();
        int ptsBeforeDts = 0;
        for (IngestRecord r : ingest) {
            Long before = last.put(r.kind(), r.timestampMs());
            total.merge(r.kind(), 1, Integer::sum);
            if (before != null && r.timestampMs() <= before) notAdvancing.merge(r.kind(), 1, Integer::sum);
            if (r.compositionTimeMs() < 0) ptsBeforeDts++;
        }
        System.out.printf("GStreamer ingest: tags %s, equal or backwards DTS %s, pts < dts %d%n", total, notAdvancing, ptsBeforeDts);
    }

    private static List<MediaRecord> media(String bootstrap, String id) {
        return TopicReader.readKey(bootstrap, Topics.MEDIA, id).stream().map(MediaRecordCodec::fromConsumerRecord).toList();
    }

    private static boolean gstreamerHasElements() {
        try {
            for (String element : ELEMENTS) {
                Process p = new ProcessBuilder("gst-inspect-1.0", "--exists", element).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) return false;
            }
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
