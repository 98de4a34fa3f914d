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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tier 1: LL-HLS parts cut from real segments, judged byte for byte and by ffprobe. */
class PartCuttingTest {
    private static final long TARGET_MS = 333;
    private static final double FRAME_SEC = 1 / 30.0;

    @TempDir static Path dir;
    /** Parts and segments in the order the transcoder handed them out. */
    static List<Object> outputs = new ArrayList<>();

    @BeforeAll
    static void transcode() throws Exception {
        List<IngestRecord> records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "640x360", 30, 4, 30), "s1", "sess1");
        TranscodeSettings settings = new TranscodeSettings(Ladder.parse("source,180p:300"), "ultrafast", 1, 30, TARGET_MS);
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, settings)) {
            for (IngestRecord r : records) {
                List<Segment> segments = t.accept(r);
                outputs.addAll(t.takeParts());
                outputs.addAll(segments);
            }
            List<Segment> last = t.finish();
            outputs.addAll(t.takeParts());
            outputs.addAll(last);
        }
    }

    @Test
    void theConcatenationOfASegmentsPartsIsExactlyTheSegment() {
        List<Segment> segments = segments();
        assertThat(segments).hasSize(8); // 4 GOPs x 2 renditions
        for (Segment s : segments) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            partsOf(s).forEach(p -> joined.writeBytes(p.payload()));
            assertThat(joined.toByteArray()).as("parts of %s", s).isEqualTo(s.payload());
        }
    }

    @Test
    void partsAreWholeTsPacketsOfAtMostTheTargetAndOnlyTheFirstIsIndependent() {
        for (Segment s : segments()) {
            List<Part> parts = partsOf(s);
            assertThat(parts).extracting(Part::partIndex).isEqualTo(java.util.stream.IntStream.range(0, parts.size()).boxed().toList());
            assertThat(parts).as("a 1 s GOP in 0.333 s parts").hasSize(3);
            for (Part p : parts) {
                assertThat(p.payload().length % 188).isZero();
                assertThat(p.payload()[0]).isEqualTo((byte) 0x47);
                assertThat(p.independent()).isEqualTo(p.partIndex() == 0);
                assertThat(p.durationSec()).as("%s", p).isLessThanOrEqualTo(TARGET_MS / 1000.0 + FRAME_SEC);
            }
            assertThat(parts.get(0).startPtsMs()).isEqualTo(s.startPtsMs());
            assertThat(parts.stream().mapToDouble(Part::durationSec).sum()).isCloseTo(s.durationSec(), within(0.002));
        }
    }

    @Test
    void partsLeaveBeforeTheirSegment() {
        for (Segment s : segments()) {
            int segmentAt = outputs.indexOf(s);
            for (Part p : partsOf(s)) assertThat(outputs.indexOf(p)).as("%s before %s", p, s).isLessThan(segmentAt);
        }
    }

    @Test
    void theFirstPartAloneDecodesAndStartsWithAKeyframe() throws Exception {
        for (Segment s : segments()) {
            Part first = partsOf(s).get(0);
            Path file = dir.resolve(s.rendition() + "-" + s.index() + ".0.ts");
            Files.write(file, first.payload());
            JsonNode frames = TestMedia.ffprobe(file, "-select_streams", "v", "-show_frames", "-show_entries", "frame=key_frame,pict_type")
                    .get("frames");
            assertThat(frames.size()).as("frames in %s", first).isGreaterThanOrEqualTo(8);
            assertThat(frames.get(0).get("key_frame").asInt()).isEqualTo(1);
            assertThat(frames.get(0).get("pict_type").asText()).isEqualTo("I");
        }
        // and the whole segment rebuilt from its parts parses with video and audio
        Segment s = segments().get(segments().size() - 1);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        partsOf(s).forEach(p -> joined.writeBytes(p.payload()));
        Path file = dir.resolve("joined.ts");
        Files.write(file, joined.toByteArray());
        JsonNode streams = TestMedia.ffprobe(file, "-show_streams").get("streams");
        assertThat(streams).anySatisfy(st -> assertThat(st.get("codec_name").asText()).isEqualTo("h264"));
        assertThat(streams).anySatisfy(st -> assertThat(st.get("codec_name").asText()).isEqualTo("aac"));
    }

    private static List<Segment> segments() {
        return outputs.stream().filter(Segment.class::isInstance).map(Segment.class::cast).toList();
    }

    private static List<Part> partsOf(Segment s) {
        return outputs.stream().filter(Part.class::isInstance).map(Part.class::cast)
                .filter(p -> p.rendition().equals(s.rendition()) && p.segmentIndex() == s.index()).toList();
    }
}
