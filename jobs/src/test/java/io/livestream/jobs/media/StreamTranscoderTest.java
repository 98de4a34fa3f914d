package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tier 1: the native session fed real FLV tags, its segments judged by ffprobe. */
class StreamTranscoderTest {
    private static final TranscodeSettings SETTINGS = new TranscodeSettings(
            Ladder.parse("source,720p:2800,360p:800,240p:400,180p:300"), "ultrafast", 1, 30);

    @TempDir static Path dir;
    static List<Segment> segments;

    @BeforeAll
    static void transcode() throws Exception {
        Path flv = TestMedia.generateFlv(dir, "640x360", 30, 4, 30);
        segments = run(TestMedia.ingestRecords(flv, "s1", "sess1"), SETTINGS);
    }

    /** A transcoder set up with the (last) sequence headers the records carry, as the operator sets one up. */
    static StreamTranscoder transcoderFor(List<IngestRecord> records, TranscodeSettings settings) {
        byte[] video = null;
        VideoCodec codec = null;
        byte[] aac = null;
        for (IngestRecord r : records) {
            if (r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO) {
                video = r.codecConfig();
                codec = VideoCodec.fromFourCc(r.codec());
            }
            if (r.sequenceHeader() && r.kind() == IngestRecord.Kind.AUDIO) aac = r.codecConfig();
        }
        return new StreamTranscoder("s1", settings, codec, video, aac);
    }

    static List<Segment> run(List<IngestRecord> records, TranscodeSettings settings) {
        List<Segment> out = new ArrayList<>();
        try (StreamTranscoder t = transcoderFor(records, settings)) {
            for (IngestRecord r : records) out.addAll(t.accept(r));
            out.addAll(t.finish());
            assertThat(t.longGopCount()).isZero();
        }
        return out;
    }

    @Test
    void everyRenditionHasOneSegmentPerSourceGopAndRungsAtOrAboveTheSourceAreSkipped() {
        Map<String, List<Segment>> byRendition = byRendition(segments);
        assertThat(byRendition.keySet()).containsExactlyInAnyOrder("source", "240p", "180p");
        for (List<Segment> list : byRendition.values()) {
            assertThat(list).extracting(Segment::index).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void segmentsOfAllRenditionsCoverTheSameSourceTime() {
        Map<String, List<Segment>> byRendition = byRendition(segments);
        List<Segment> source = byRendition.get("source");
        for (List<Segment> list : byRendition.values()) {
            for (int i = 0; i < list.size(); i++) {
                assertThat(list.get(i).startPtsMs()).isEqualTo(source.get(i).startPtsMs());
                assertThat(list.get(i).durationSec()).isCloseTo(source.get(i).durationSec(), within(0.001));
                assertThat(list.get(i).durationSec()).isCloseTo(1.0, within(0.05));
            }
        }
    }

    @Test
    void eachSegmentIsMpegTsStartingWithAKeyframeAtTheRungSize() throws Exception {
        for (Segment s : segments) {
            Path file = Files.write(dir.resolve(s.rendition() + "-" + s.index() + ".ts"), s.payload());
            JsonNode probe = TestMedia.ffprobe(file, "-show_format", "-show_streams");
            assertThat(probe.at("/format/format_name").asText()).isEqualTo("mpegts");
            JsonNode video = stream(probe, "video");
            JsonNode audio = stream(probe, "audio");
            assertThat(video.get("codec_name").asText()).isEqualTo("h264");
            assertThat(audio.get("codec_name").asText()).isEqualTo("aac");
            int expectedHeight = s.rendition().equals("source") ? 360 : Integer.parseInt(s.rendition().replace("p", ""));
            assertThat(video.get("height").asInt()).isEqualTo(expectedHeight).isEqualTo(s.height());
            assertThat(video.get("width").asInt()).isEqualTo(s.width()).isEven();
            String[] codecs = s.codecs().split(",");
            assertThat(codecs).hasSize(2);
            assertThat(codecs[1]).isEqualTo("mp4a.40.2");
            assertThat(codecs[0]).matches("avc1\\.[0-9a-f]{6}");
            assertThat(Integer.parseInt(codecs[0].substring(5, 7), 16)).isEqualTo(profileIdc(video));
            assertThat(Integer.parseInt(codecs[0].substring(9, 11), 16)).isEqualTo(video.get("level").asInt());

            JsonNode frames = TestMedia.ffprobe(file, "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type").get("frames");
            assertThat(frames.get(0).get("key_frame").asInt()).as("first frame of %s", s).isEqualTo(1);
            assertThat(frames.size()).isEqualTo(30);
        }
    }

    @Test
    void sixtyFpsSourcesAreHalvedOnEncodedRungsOnly() throws Exception {
        Path flv = TestMedia.generateFlv(dir, "320x240", 60, 1, 60);
        List<Segment> out = run(TestMedia.ingestRecords(flv, "s1", "sess1"), new TranscodeSettings(Ladder.parse("source,180p:300"), "ultrafast", 1, 30));
        Map<String, List<Segment>> byRendition = byRendition(out);
        assertThat(byRendition.get("source").get(0).frameRate()).isEqualTo(60.0);
        Segment encoded = byRendition.get("180p").get(0);
        assertThat(encoded.frameRate()).isEqualTo(30.0);
        Path file = Files.write(dir.resolve("60fps.ts"), encoded.payload());
        JsonNode frames = TestMedia.ffprobe(file, "-select_streams", "v:0", "-show_entries", "frame=key_frame").get("frames");
        assertThat(frames.size()).isEqualTo(30);
    }

    @Test
    void aGopOverSixSecondsIsCutOnlyAtTheNextKeyframeAndCounted() throws Exception {
        Path flv = TestMedia.generateFlv(dir, "160x120", 30, 7, 200);
        List<IngestRecord> records = TestMedia.ingestRecords(flv, "s1", "sess1");
        TranscodeSettings settings = new TranscodeSettings(Ladder.parse("source,120p:100"), "ultrafast", 1, 30);
        List<Segment> out = new ArrayList<>();
        try (StreamTranscoder t = transcoderFor(records, settings)) {
            for (IngestRecord r : records) out.addAll(t.accept(r));
            out.addAll(t.finish());
            assertThat(t.longGopCount()).isEqualTo(1);
        }
        Map<String, List<Segment>> byRendition = byRendition(out);
        for (List<Segment> list : byRendition.values()) {
            assertThat(list).hasSize(2);
            assertThat(list.get(0).durationSec()).isCloseTo(200 / 30.0, within(0.04));
            assertThat(list.get(1).durationSec()).isCloseTo(7 - 200 / 30.0, within(0.04));
        }
    }

    @Test
    void closingMidStreamFreesASessionThatNeverFinished() throws Exception {
        Path flv = TestMedia.generateFlv(dir, "160x120", 30, 7, 200);
        List<IngestRecord> records = TestMedia.ingestRecords(flv, "s1", "sess1");
        byte[] avc = records.stream().filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO).findFirst().orElseThrow().codecConfig();
        StreamTranscoder t = new StreamTranscoder("s1", new TranscodeSettings(Ladder.parse("source,120p:100"), "ultrafast", 1, 30), avc, null);
        for (IngestRecord r : records.subList(0, 50)) t.accept(r);
        assertThat(t.started()).isTrue();
        t.close();
        t.close(); // idempotent: Flink may close after a failed finish
    }

    /** profile_idc of what ffprobe reads in the segment's own SPS. */
    static int profileIdc(JsonNode video) {
        String profile = video.get("profile").asText();
        return switch (profile) {
            case "Constrained Baseline", "Baseline" -> 66;
            case "Main" -> 77;
            case "High" -> 100;
            case "High 4:4:4 Predictive" -> 244;
            default -> throw new AssertionError("unexpected profile " + profile);
        };
    }

    static JsonNode stream(JsonNode probe, String type) {
        for (JsonNode s : probe.get("streams")) {
            if (s.get("codec_type").asText().equals(type)) return s;
        }
        throw new AssertionError("no " + type + " stream in " + probe);
    }

    static Map<String, List<Segment>> byRendition(List<Segment> list) {
        return list.stream().collect(Collectors.groupingBy(Segment::rendition, TreeMap::new, Collectors.toList()));
    }
}
