package io.livestream.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.records.StreamHealth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The health operator in Flink's keyed test harness, fed synthetic ingest records of known shape. */
class HealthFunctionTest {
    private static final long START_MS = 1_700_000_000_000L;
    private static final long SILENCE_MS = 6_000;

    /** An encoder's output: video at {@code fps} with a keyframe every {@code gopSec}, AAC at 44.1 kHz; optional frames left out. */
    static List<IngestRecord> stream(String session, int fps, double gopSec, int videoFrameBytes, double seconds, Set<Integer> droppedFrames) {
        List<IngestRecord> records = new ArrayList<>();
        records.add(new IngestRecord("s1", session, IngestRecord.Kind.VIDEO, 0, 0, true, true, "avc1", new byte[40]));
        records.add(new IngestRecord("s1", session, IngestRecord.Kind.AUDIO, 0, 0, false, true, "mp4a", new byte[2]));
        int frames = (int) Math.round(seconds * fps);
        int gop = (int) Math.round(gopSec * fps);
        for (int i = 0; i < frames; i++) {
            if (droppedFrames.contains(i)) continue;
            long ts = Math.round(i * 1000.0 / fps);
            records.add(new IngestRecord("s1", session, IngestRecord.Kind.VIDEO, ts, 0, i % gop == 0, false, "avc1", new byte[videoFrameBytes]));
        }
        long audioFrames = Math.round(seconds * 44_100 / 1024);
        for (long a = 0; a < audioFrames; a++) {
            records.add(new IngestRecord("s1", session, IngestRecord.Kind.AUDIO, Math.round(a * 1024 * 1000.0 / 44_100), 0, false, false,
                    "mp4a", new byte[300]));
        }
        records.sort(Comparator.comparingLong(IngestRecord::timestampMs)); // interleaved as an RTMP publisher sends them
        return records;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, StreamHealth> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new HealthFunction(HealthThresholds.DEFAULTS, SILENCE_MS)), IngestRecord::streamId, Types.STRING);
    }

    /** Feeds in real time, then lets the stream go silent so the last window closes. */
    static List<StreamHealth> run(KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, StreamHealth> h, List<IngestRecord> records) throws Exception {
        long last = 0;
        for (IngestRecord r : records) {
            h.setProcessingTime(START_MS + r.timestampMs());
            h.processElement(r, r.timestampMs());
            last = r.timestampMs();
        }
        h.setProcessingTime(START_MS + last + SILENCE_MS);
        return new ArrayList<>(h.extractOutputValues());
    }

    @Test
    void aLowRate15FpsStreamWithAn8SecondGopGetsItsWarnings() throws Exception {
        try (var h = harness()) {
            h.open();
            List<StreamHealth> windows = run(h, stream("a", 15, 8, 2_000, 16, Set.of()));

            assertThat(windows).hasSize(4);
            assertThat(windows).extracting(StreamHealth::windowStartMs).containsExactly(0L, 5_000L, 10_000L, 15_000L);
            StreamHealth first = windows.get(0);
            assertThat(first.fps()).isEqualTo(15.0);
            assertThat(first.videoKbps()).isEqualTo(240.0);
            assertThat(first.audioKbps()).isCloseTo(103.4, org.assertj.core.data.Offset.offset(1.0));
            assertThat(first.droppedFrames()).isZero();
            assertThat(first.avDriftMs()).isBetween(-70L, 70L);
            assertThat(first.warnings()).containsExactly(StreamHealth.LOW_BITRATE, StreamHealth.LOW_FPS, StreamHealth.LONG_KEYFRAME_INTERVAL);
            assertThat(windows.get(1).keyframeIntervalSec()).as("keyframes at 0 and 8 s").isEqualTo(8.0);
            assertThat(windows.get(2).keyframeIntervalSec()).as("none since 8 s").isEqualTo(7.0);
            assertThat(windows.subList(0, 3)).allSatisfy(w -> assertThat(w.warnings()).contains(StreamHealth.LOW_FPS, StreamHealth.LONG_KEYFRAME_INTERVAL));
            assertThat(windows.get(3).partial()).isTrue();
            assertThat(h.numKeyedStateEntries()).as("state cleared once silent").isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aHealthyStreamGetsNone() throws Exception {
        try (var h = harness()) {
            h.open();
            List<StreamHealth> windows = run(h, stream("a", 30, 2, 10_000, 15, Set.of()));

            assertThat(windows).hasSize(3);
            assertThat(windows).allSatisfy(w -> {
                assertThat(w.warnings()).isEmpty();
                assertThat(w.fps()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(0.5));
                assertThat(w.videoKbps()).isCloseTo(2_400.0, org.assertj.core.data.Offset.offset(30.0));
                assertThat(w.keyframeIntervalSec()).isLessThanOrEqualTo(2.0);
                assertThat(w.droppedFrames()).isZero();
                assertThat(w.sessionId()).isEqualTo("a");
                assertThat(w.at()).isGreaterThanOrEqualTo(START_MS);
            });
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void framesMissingFromTheTimestampSequenceAreCounted() throws Exception {
        Set<Integer> lost = new java.util.HashSet<>();
        for (int i = 160; i < 280; i++) lost.add(i); // 120 frames of the second window never arrive
        try (var h = harness()) {
            h.open();
            List<StreamHealth> windows = run(h, stream("a", 30, 2, 10_000, 15, lost));

            assertThat(windows.get(0).droppedFrames()).isZero();
            assertThat(windows.get(1).droppedFrames()).isEqualTo(120);
            assertThat(windows.get(1).warnings()).contains(StreamHealth.DROPPED_FRAMES);
        }
    }

    @Test
    void aNewSessionClosesTheOldOnesWindowAndStartsItsOwnTimeline() throws Exception {
        try (var h = harness()) {
            h.open();
            List<IngestRecord> records = new ArrayList<>(stream("a", 30, 2, 10_000, 3, Set.of()));
            records.addAll(stream("b", 30, 2, 10_000, 6, Set.of()));
            long now = START_MS;
            for (IngestRecord r : records) {
                h.setProcessingTime(now += 10);
                h.processElement(r, r.timestampMs());
            }
            h.setProcessingTime(now + SILENCE_MS);
            List<StreamHealth> windows = new ArrayList<>(h.extractOutputValues());
            assertThat(windows).extracting(StreamHealth::sessionId).containsExactly("a", "b", "b");
            assertThat(windows.get(0).partial()).isTrue();
            assertThat(windows.get(0).windowEndMs()).isEqualTo(3_000L);
            assertThat(windows.get(1).windowStartMs()).isZero();
        }
    }
}
