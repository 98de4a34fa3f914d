package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tier 1: Enhanced RTMP HEVC (hvc1) and AV1 (av01) sources, real bitstreams from the bundled ffmpeg's libx265 (open
 * GOPs and B-frames, so CodedFrames with composition times) and SVT-AV1 (CodedFrames without), transcoded into the
 * H.264 ladder; the source rung is an H.264 encode at the source size. Judged by ffprobe.
 */
class StreamTranscoderEnhancedRtmpTest {
    private static final TranscodeSettings SETTINGS = new TranscodeSettings(
            Ladder.parse("source,720p:2800,360p:800,240p:400"), "ultrafast", 1, 30);
    private static final Map<String, List<String>> ENCODERS = Map.of(
            "hevc", List.of("-c:v", "libx265", "-preset", "ultrafast", "-g", "30", "-x265-params", "scenecut=0:log-level=error"),
            "av1", List.of("-c:v", "libsvtav1", "-preset", "12", "-g", "30", "-svtav1-params", "scd=0"));
    private static final Map<String, String> FOURCC = Map.of("hevc", "hvc1", "av1", "av01");

    @TempDir static Path dir;
    private static final Map<String, Run> runs = new HashMap<>();

    record Run(List<IngestRecord> records, List<Segment> segments, String sourceDescription) {}

    /** One 3 s 640x360 30 fps clip per codec, keyframe every second, transcoded once and shared by the tests. */
    static synchronized Run run(String codec) throws Exception {
        Run cached = runs.get(codec);
        if (cached != null) return cached;
        Path flv = TestMedia.generateFlv(dir, codec, "640x360", 30, 3, ENCODERS.get(codec));
        List<IngestRecord> records = TestMedia.ingestRecords(flv, "s1", "sess1");
        List<Segment> segments = new ArrayList<>();
        String description;
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, SETTINGS)) {
            for (IngestRecord r : records) segments.addAll(t.accept(r));
            segments.addAll(t.finish());
            description = t.sourceDescription();
            assertThat(t.renditions()).containsExactly("source", "240p");
        }
        Run run = new Run(records, segments, description);
        runs.put(codec, run);
        return run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hevc", "av1"})
    void theInputIsEnhancedRtmpOfThatCodec(String codec) throws Exception {
        List<IngestRecord> video = run(codec).records().stream().filter(r -> r.kind() == IngestRecord.Kind.VIDEO).toList();
        assertThat(video).extracting(IngestRecord::codec).containsOnly(FOURCC.get(codec));
        assertThat(video.stream().filter(IngestRecord::sequenceHeader)).isNotEmpty();
        if (codec.equals("hevc")) {
            assertThat(video).as("B-frames: composition times").anyMatch(r -> r.compositionTimeMs() > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hevc", "av1"})
    void everyRungIsH264AtItsSizeOneSegmentPerSourceGop(String codec) throws Exception {
        Run run = run(codec);
        assertThat(run.sourceDescription()).isEqualTo("640x360 @ 30.0 fps");
        Map<String, List<Segment>> byRendition = StreamTranscoderTest.byRendition(run.segments());
        assertThat(byRendition.keySet()).containsExactly("240p", "source");
        for (List<Segment> list : byRendition.values()) {
            assertThat(list).extracting(Segment::index).containsExactly(0, 1, 2);
        }
        for (Segment s : run.segments()) {
            Path file = Files.write(dir.resolve(codec + "-" + s.rendition() + "-" + s.index() + ".ts"), s.payload());
            JsonNode probe = TestMedia.ffprobe(file, "-show_format", "-show_streams");
            JsonNode video = StreamTranscoderTest.stream(probe, "video");
            assertThat(video.get("codec_name").asText()).as("%s", s).isEqualTo("h264");
            assertThat(StreamTranscoderTest.stream(probe, "audio").get("codec_name").asText()).isEqualTo("aac");
            int width = s.rendition().equals("source") ? 640 : 426;
            int height = s.rendition().equals("source") ? 360 : 240;
            assertThat(video.get("width").asInt()).isEqualTo(width).isEqualTo(s.width());
            assertThat(video.get("height").asInt()).isEqualTo(height).isEqualTo(s.height());
            assertThat(s.codecs()).matches("avc1\\.[0-9a-f]{6},mp4a\\.40\\.2");
            assertThat(s.frameRate()).isEqualTo(30.0);

            JsonNode frames = TestMedia.ffprobe(file, "-select_streams", "v:0", "-show_entries", "frame=key_frame,pts_time").get("frames");
            assertThat(frames.size()).as("frames of %s", s).isEqualTo(30);
            assertThat(frames.get(0).get("key_frame").asInt()).as("first frame of %s", s).isEqualTo(1);
            for (int i = 1; i < frames.size(); i++) {
                double step = frames.get(i).get("pts_time").asDouble() - frames.get(i - 1).get("pts_time").asDouble();
                assertThat(step).as("frame %d of %s: presentation order, no gaps", i, s).isCloseTo(1 / 30.0, within(0.002));
            }
        }
    }

    /**
     * Segments start at the source keyframes' presentation times: for HEVC that is the FLV timestamp plus the
     * CodedFrames composition time (ignoring it would cut each GOP a B-frame delay early); AV1 has none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hevc", "av1"})
    void segmentsStartAtTheSourceKeyframesPresentationTimes(String codec) throws Exception {
        Run run = run(codec);
        List<Long> keyframePts = run.records().stream()
                .filter(r -> r.kind() == IngestRecord.Kind.VIDEO && !r.sequenceHeader() && r.keyframe())
                .map(IngestRecord::ptsMs).toList();
        assertThat(keyframePts).hasSize(3);
        for (List<Segment> list : StreamTranscoderTest.byRendition(run.segments()).values()) {
            assertThat(list).extracting(Segment::startPtsMs).containsExactlyElementsOf(keyframePts);
            for (Segment s : list) assertThat(s.durationSec()).as("%s", s).isCloseTo(1.0, within(0.05));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hevc", "av1"})
    void theCmafOutputIsH264Too(String codec) throws Exception {
        for (Segment s : run(codec).segments()) {
            ByteArrayOutputStream mp4 = new ByteArrayOutputStream();
            mp4.writeBytes(s.fmp4Init());
            mp4.writeBytes(s.fmp4Payload());
            Path file = Files.write(dir.resolve(codec + "-" + s.rendition() + "-" + s.index() + ".mp4"), mp4.toByteArray());
            JsonNode video = StreamTranscoderTest.stream(TestMedia.ffprobe(file, "-show_streams"), "video");
            assertThat(video.get("codec_name").asText()).isEqualTo("h264");
            assertThat(video.get("height").asInt()).isEqualTo(s.height());
        }
    }

    /**
     * libaom's AV1 (ffmpeg sends an empty SequenceStart before the real one) without timing info in its sequence
     * header: the rate comes from the first two frames' times, not the 30 fps fallback.
     */
    @Test
    void anAv1SourceThatDoesNotStateItsRateIsMeasured() throws Exception {
        Path flv = TestMedia.generateFlv(dir, "aom-25", "320x180", 25, 2,
                List.of("-c:v", "libaom-av1", "-usage", "realtime", "-cpu-used", "8", "-g", "25"));
        List<IngestRecord> records = TestMedia.ingestRecords(flv, "s1", "sess1");
        assertThat(records.stream().filter(r -> r.sequenceHeader() && r.codec().equals("av01"))).hasSizeGreaterThan(1);
        TranscodeSettings settings = new TranscodeSettings(Ladder.parse("source,90p:100"), "ultrafast", 1, 30);
        List<Segment> segments = new ArrayList<>();
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, settings)) {
            for (IngestRecord r : records) segments.addAll(t.accept(r));
            segments.addAll(t.finish());
            assertThat(t.sourceDescription()).isEqualTo("320x180 @ 25.0 fps");
        }
        assertThat(segments).hasSize(4).allSatisfy(s -> assertThat(s.frameRate()).isEqualTo(25.0));
        for (Segment s : segments) {
            Path file = Files.write(dir.resolve("aom-" + s.rendition() + "-" + s.index() + ".ts"), s.payload());
            JsonNode frames = TestMedia.ffprobe(file, "-select_streams", "v:0", "-show_entries", "frame=key_frame").get("frames");
            assertThat(frames.size()).as("frames of %s (the first one held back is not lost)", s).isEqualTo(25);
        }
    }

    /** HEVC Main 10 (phones' HDR, OBS's 10-bit modes): scaled down to 8-bit 4:2:0 for libx264, every frame kept. */
    @Test
    void aTenBitHevcSourceComesOutAsEightBitH264() throws Exception {
        Path flv = TestMedia.generateFlv(dir, "hevc-10bit", "320x180", 30, 2, List.of("-c:v", "libx265", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p10le", "-g", "30", "-x265-params", "scenecut=0:log-level=error"));
        List<IngestRecord> records = TestMedia.ingestRecords(flv, "s1", "sess1");
        List<Segment> segments = new ArrayList<>();
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, new TranscodeSettings(Ladder.parse("source,90p:100"), "ultrafast", 1, 30))) {
            for (IngestRecord r : records) segments.addAll(t.accept(r));
            segments.addAll(t.finish());
        }
        assertThat(segments).extracting(Segment::rendition).containsExactlyInAnyOrder("source", "source", "90p", "90p");
        for (Segment s : segments) {
            Path file = Files.write(dir.resolve("hevc10-" + s.rendition() + "-" + s.index() + ".ts"), s.payload());
            JsonNode video = StreamTranscoderTest.stream(TestMedia.ffprobe(file, "-show_streams"), "video");
            assertThat(video.get("codec_name").asText()).isEqualTo("h264");
            assertThat(video.get("pix_fmt").asText()).isEqualTo("yuv420p");
            assertThat(TestMedia.ffprobe(file, "-select_streams", "v:0", "-show_entries", "frame=key_frame").get("frames").size()).isEqualTo(30);
        }
    }

    @Test
    void onlyH264SourcesPassThrough() {
        assertThat(VideoCodec.fromFourCc("avc1").passesThrough()).isTrue();
        assertThat(VideoCodec.fromFourCc("hvc1").passesThrough()).isFalse();
        assertThat(VideoCodec.fromFourCc("av01").passesThrough()).isFalse();
        assertThat(VideoCodec.fromFourCc("vp09")).as("not decoded: no session").isNull();
    }

    @Test
    void theEncodedSourceRungKeepsTheSourceSizeAtTheLaddersBitsPerPixel() {
        Rung rung = Rung.encodedSource(1280, 720, 30);
        assertThat(rung.name()).isEqualTo("source");
        assertThat(rung.passthrough()).isFalse();
        assertThat(rung.height()).isEqualTo(720);
        assertThat(rung.widthFor(1280, 720)).isEqualTo(1280);
        assertThat(rung.bitrateKbps()).isEqualTo(2765);
        assertThat(Rung.encodedSource(641, 361, 30).height()).as("x264 needs even sizes").isEqualTo(360);
        assertThat(Rung.encodedSource(3840, 2160, 60).bitrateKbps()).isEqualTo(8000);
        assertThat(Rung.encodedSource(160, 90, 15).bitrateKbps()).isEqualTo(300);
    }
}
