package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.media.Mp4Boxes;
import io.livestream.jobs.TestMedia;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tier 1: the CMAF (fMP4) output beside the MPEG-TS one, judged box by box and by ffprobe. */
class CmafOutputTest {
    private static final long TARGET_MS = 333;

    @TempDir static Path dir;
    static List<Object> outputs = new ArrayList<>();

    @BeforeAll
    static void transcode() throws Exception {
        List<IngestRecord> records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "640x360", 30, 3, 30), "s1", "sess1");
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
    void everySegmentIsItsPartsFragmentsByteForByteAndEachPartIsOneMoofMdat() {
        assertThat(segments()).hasSize(6);
        for (Segment s : segments()) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Part p : partsOf(s)) {
                assertThat(Mp4Boxes.types(p.fmp4Payload())).as("%s", p).containsExactly("moof", "mdat");
                joined.writeBytes(p.fmp4Payload());
            }
            assertThat(joined.toByteArray()).as("fMP4 parts of %s", s).isEqualTo(s.fmp4Payload());
            assertThat(Mp4Boxes.isInitSegment(s.fmp4Init())).as("init of %s", s).isTrue();
        }
    }

    @Test
    void oneInitSegmentPerRenditionForTheWholeSession() {
        for (String rendition : List.of("source", "180p")) {
            List<Segment> of = segments().stream().filter(s -> s.rendition().equals(rendition)).toList();
            assertThat(of).extracting(s -> java.util.Arrays.hashCode(s.fmp4Init())).containsOnly(java.util.Arrays.hashCode(of.get(0).fmp4Init()));
        }
    }

    @Test
    void everyTsPartStartsWithPatAndPmt() {
        for (Segment s : segments()) {
            for (Part p : partsOf(s)) {
                byte[] ts = p.payload();
                assertThat(ts[0]).isEqualTo((byte) 0x47);
                // the service tables lead (ffmpeg writes SDT, PAT, PMT), then the first PES
                List<Integer> leading = new ArrayList<>();
                for (int at = 0; at < ts.length && List.of(0, 0x11, 0x1000).contains(pid(ts, at)); at += 188) leading.add(pid(ts, at));
                assertThat(leading).as("tables before the first PES of %s", p).contains(0, 0x1000);
            }
        }
    }

    @Test
    void ffprobeReadsEveryRenditionsInitPlusSegmentAndInitPlusAPartStartsWithAKeyframe() throws Exception {
        for (Segment s : segments()) {
            Path file = dir.resolve(s.rendition() + "-" + s.index() + ".mp4");
            Files.write(file, concat(s.fmp4Init(), s.fmp4Payload()));
            JsonNode streams = TestMedia.ffprobe(file, "-count_frames", "-show_streams").get("streams");
            assertThat(streams).anySatisfy(st -> {
                assertThat(st.get("codec_name").asText()).isEqualTo("h264");
                assertThat(st.get("nb_read_frames").asInt()).as("video frames of %s", s).isGreaterThanOrEqualTo(29);
            });
            assertThat(streams).anySatisfy(st -> assertThat(st.get("codec_name").asText()).isEqualTo("aac"));

            Part first = partsOf(s).get(0);
            Path part = dir.resolve(s.rendition() + "-" + s.index() + ".0.mp4");
            Files.write(part, concat(s.fmp4Init(), first.fmp4Payload()));
            JsonNode frames = TestMedia.ffprobe(part, "-select_streams", "v", "-show_frames", "-show_entries", "frame=key_frame,pict_type,pts_time")
                    .get("frames");
            assertThat(frames.size()).as("frames in %s", first).isGreaterThanOrEqualTo(8);
            assertThat(frames.get(0).get("key_frame").asInt()).isEqualTo(1);
            // the fragment's decode time continues the session's timeline: the part starts at its segment's time
            assertThat(frames.get(0).get("pts_time").asDouble() * 1000).as("start of %s", first)
                    .isCloseTo((double) s.startPtsMs(), org.assertj.core.api.Assertions.within(40.0));
        }
    }

    @Test
    void theWholeSessionPlaysAsOneFragmentedFileWithoutGaps() throws Exception {
        List<Segment> source = segments().stream().filter(s -> s.rendition().equals("source")).toList();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(source.get(0).fmp4Init());
        source.forEach(s -> all.writeBytes(s.fmp4Payload()));
        Path file = dir.resolve("session.mp4");
        Files.write(file, all.toByteArray());
        JsonNode frames = TestMedia.ffprobe(file, "-select_streams", "v", "-show_frames", "-show_entries", "frame=pts_time").get("frames");
        assertThat(frames.size()).isEqualTo(90);
        for (int i = 1; i < frames.size(); i++) {
            double step = frames.get(i).get("pts_time").asDouble() - frames.get(i - 1).get("pts_time").asDouble();
            assertThat(step).as("frame %d", i).isBetween(0.030, 0.037);
        }
    }

    private static int pid(byte[] ts, int at) {
        return ((ts[at + 1] & 0x1F) << 8) | (ts[at + 2] & 0xFF);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<Segment> segments() {
        return outputs.stream().filter(Segment.class::isInstance).map(Segment.class::cast).toList();
    }

    private static List<Part> partsOf(Segment s) {
        return outputs.stream().filter(Part.class::isInstance).map(Part.class::cast)
                .filter(p -> p.rendition().equals(s.rendition()) && p.segmentIndex() == s.index()).toList();
    }
}
