package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.FlvIngest;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.jobs.TestMedia;
import java.io.ByteArrayOutputStream;
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

/**
 * Tier 1: the native session fed FLV tags with the timestamps real encoders send (GStreamer's same-millisecond AAC
 * bursts and equal video DTS, a negative composition time, a publisher clock jumping ahead 10 s and one jumping
 * back 5 s); nothing may fail and ffprobe must read strictly rising DTS in every rendition.
 */
class StreamTranscoderTimestampsTest {
    private static final TranscodeSettings SETTINGS = new TranscodeSettings(Ladder.parse("source,180p:300"), "ultrafast", 1, 30);
    private static final long AAC_FRAME_90K = Math.round(1024 * 90_000.0 / 44_100);
    private static final int EQUAL_VIDEO_DTS = 6;
    private static final int NEGATIVE_CTS = 3;

    @TempDir static Path dir;
    static List<IngestRecord> clean;

    @BeforeAll
    static void generate() throws Exception {
        clean = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "320x240", 30, 6, 30), "s1", "sess1");
    }

    @Test
    void aStreamWithEveryKindOfBrokenTimestampIsTranscodedInOneSession() throws Exception {
        List<IngestRecord> records = breakTimestamps(clean, 10_000);
        List<Segment> out = new ArrayList<>();
        Map<TimestampRepair.Kind, Long> repairs;
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, SETTINGS)) {
            for (IngestRecord r : records) out.addAll(t.accept(r)); // a MediaException here is the bug
            out.addAll(t.finish());
            repairs = t.timestampRepairs();
        }
        assertThat(repairs).containsEntry(TimestampRepair.Kind.VIDEO_DTS_NOT_RISING, (long) EQUAL_VIDEO_DTS)
                .containsEntry(TimestampRepair.Kind.PTS_BEFORE_DTS, (long) NEGATIVE_CTS)
                .containsEntry(TimestampRepair.Kind.CLOCK_JUMP, 1L)
                .doesNotContainKey(TimestampRepair.Kind.MUXER_GUARD);
        assertThat(repairs.get(TimestampRepair.Kind.AUDIO_BURST)).as("three of every four AAC tags repeat a timestamp").isGreaterThan(150);

        Map<String, List<Segment>> byRendition = out.stream().collect(Collectors.groupingBy(Segment::rendition, TreeMap::new, Collectors.toList()));
        assertThat(byRendition.keySet()).containsExactly("180p", "source");
        for (List<Segment> segments : byRendition.values()) {
            assertThat(segments).extracting(Segment::index).containsExactly(0, 1, 2, 3, 4, 5);
            for (int i = 1; i < segments.size(); i++) {
                Segment previous = segments.get(i - 1);
                assertThat(segments.get(i).startPtsMs()).as("the clock jump is re-based away: segments stay back to back")
                        .isEqualTo(previous.startPtsMs() + Math.round(previous.durationSec() * 1000));
            }
            assertThat(segments).allSatisfy(s -> assertThat(s.durationSec()).isCloseTo(1.0, within(0.05)));
            assertMonotonic(segments, 180, true);
        }
    }

    @Test
    void aPublisherClockGoingBackIsReBasedWithoutARestart() throws Exception {
        List<IngestRecord> records = breakTimestamps(clean, -5_000);
        List<Segment> out = new ArrayList<>();
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, SETTINGS)) {
            for (IngestRecord r : records) out.addAll(t.accept(r));
            out.addAll(t.finish());
            assertThat(t.timestampRepairs()).containsEntry(TimestampRepair.Kind.CLOCK_JUMP, 1L);
        }
        Map<String, List<Segment>> byRendition = out.stream().collect(Collectors.groupingBy(Segment::rendition));
        for (List<Segment> segments : byRendition.values()) {
            assertThat(segments).hasSize(6);
            assertMonotonic(segments, 180, true);
        }
    }

    /**
     * What {@code ffmpeg -c copy} of an odd file publishes: H.264 with B-frames (PTS ahead of DTS, reordered) whose
     * timestamps step back 400 ms halfway, as where two recordings were joined. Under the 1 s of a clock jump back,
     * so it is nudged, not re-based; B-frames and all, nothing may fail.
     */
    @Test
    void aCopiedFileWithBFramesAndDtsGoingBackIsTranscodedInOneSession() throws Exception {
        Path flv = dir.resolve("bframes.flv");
        List<String> args = new ArrayList<>(FfmpegProgram.testPatternInput("320x240", 30, 4));
        args.addAll(List.of("-y", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30", "-bf", "2",
                "-c:a", "aac", "-f", "flv", flv.toString()));
        FfmpegProgram.run(args, dir.resolve("bframes.log"));
        List<IngestRecord> source = TestMedia.ingestRecords(flv, "s1", "sess1");
        assertThat(source).as("the source really has B-frames").anyMatch(r -> r.kind() == IngestRecord.Kind.VIDEO && r.compositionTimeMs() > 40);
        List<IngestRecord> records = new ArrayList<>();
        for (IngestRecord r : source) {
            long ts = r.timestampMs() >= 2_000 && !r.sequenceHeader() ? r.timestampMs() - 400 : r.timestampMs();
            int type = r.kind() == IngestRecord.Kind.VIDEO ? FlvTags.TAG_VIDEO : r.kind() == IngestRecord.Kind.AUDIO ? FlvTags.TAG_AUDIO : FlvTags.TAG_SCRIPT;
            records.add(FlvIngest.fromTag(r.streamId(), r.sessionId(), type, ts, r.payload()));
        }
        List<Segment> out = new ArrayList<>();
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, SETTINGS)) {
            for (IngestRecord r : records) out.addAll(t.accept(r));
            out.addAll(t.finish());
            assertThat(t.timestampRepairs()).containsKey(TimestampRepair.Kind.VIDEO_DTS_NOT_RISING).doesNotContainKey(TimestampRepair.Kind.CLOCK_JUMP);
        }
        Map<String, List<Segment>> byRendition = out.stream().collect(Collectors.groupingBy(Segment::rendition));
        assertThat(byRendition.keySet()).containsExactlyInAnyOrder("source", "180p");
        for (List<Segment> segments : byRendition.values()) {
            assertThat(segments).extracting(Segment::index).containsExactly(0, 1, 2, 3);
            assertMonotonic(segments, 120, false);
        }
    }

    /**
     * The clean 6 s FLV as a GStreamer publisher under load sends it: AAC tags in bursts of four with the first one's
     * millisecond, a few video frames repeating the previous DTS, a few negative composition times, and from 3.5 s
     * on the publisher's clock shifted by {@code jumpMs}.
     */
    static List<IngestRecord> breakTimestamps(List<IngestRecord> records, long jumpMs) {
        List<IngestRecord> out = new ArrayList<>();
        long burstTimestamp = 0;
        int audioFrames = 0;
        long previousVideoDts = Long.MIN_VALUE;
        int equalDts = 0;
        int negativeCts = 0;
        int videoFrames = 0;
        for (IngestRecord r : records) {
            long ts = r.timestampMs();
            byte[] payload = r.payload();
            if (r.kind() == IngestRecord.Kind.AUDIO && !r.sequenceHeader()) {
                if (audioFrames++ % 4 == 0) burstTimestamp = ts;
                ts = burstTimestamp;
            } else if (r.kind() == IngestRecord.Kind.VIDEO && !r.sequenceHeader()) {
                videoFrames++;
                if (!r.keyframe() && videoFrames % 20 == 7 && equalDts < EQUAL_VIDEO_DTS) {
                    ts = previousVideoDts;
                    equalDts++;
                } else if (!r.keyframe() && videoFrames % 20 == 13 && negativeCts < NEGATIVE_CTS) {
                    payload = withCompositionTime(payload, -15);
                    negativeCts++;
                }
                previousVideoDts = ts;
            }
            if (r.timestampMs() >= 3_500 && !r.sequenceHeader()) ts += jumpMs;
            int type = r.kind() == IngestRecord.Kind.VIDEO ? FlvTags.TAG_VIDEO : r.kind() == IngestRecord.Kind.AUDIO ? FlvTags.TAG_AUDIO : FlvTags.TAG_SCRIPT;
            out.add(FlvIngest.fromTag(r.streamId(), r.sessionId(), type, ts, payload));
        }
        assertThat(equalDts).isEqualTo(EQUAL_VIDEO_DTS);
        assertThat(negativeCts).isEqualTo(NEGATIVE_CTS);
        return out;
    }

    /** An AVC video tag body with its signed 24-bit composition time (bytes 2-4) replaced. */
    private static byte[] withCompositionTime(byte[] body, int ms) {
        byte[] copy = body.clone();
        copy[2] = (byte) (ms >> 16);
        copy[3] = (byte) (ms >> 8);
        copy[4] = (byte) ms;
        return copy;
    }

    /** ffprobe over the rendition's segments back to back: DTS rises per stream, PTS never before DTS. */
    private static void assertMonotonic(List<Segment> segments, int videoFrames, boolean audioEvenlySpaced) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Segment s : segments) all.write(s.payload());
        Path file = Files.write(dir.resolve(segments.get(0).rendition() + "-" + System.nanoTime() + ".ts"), all.toByteArray());
        JsonNode packets = TestMedia.ffprobe(file, "-show_entries", "packet=codec_type,dts,pts").get("packets");
        Map<String, Long> last = new TreeMap<>();
        int video = 0;
        int audio = 0;
        for (JsonNode p : packets) {
            String type = p.get("codec_type").asText();
            long dts = p.get("dts").asLong();
            assertThat(p.get("pts").asLong()).as("pts >= dts").isGreaterThanOrEqualTo(dts);
            Long before = last.put(type, dts);
            if (type.equals("video")) video++;
            if (type.equals("audio")) {
                audio++;
                // the sample clock: one AAC frame apart (±1 ms of rounding), never the burst's 0 ms
                if (before != null && audioEvenlySpaced) assertThat(dts - before).as("AAC frame spacing").isBetween(AAC_FRAME_90K - 90, AAC_FRAME_90K + 90);
            }
            if (before != null) assertThat(dts).as("%s DTS after %d", type, before).isGreaterThan(before);
        }
        assertThat(video).isEqualTo(videoFrames);
        assertThat(audio).isGreaterThan(videoFrames * 43 / 30 - 10);
    }
}
