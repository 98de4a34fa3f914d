package io.livestream.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.media.MediaRecord;
import io.livestream.jobs.TestMedia;
import io.livestream.jobs.media.Ladder;
import io.livestream.jobs.media.TranscodeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tier 2: the operator in a test harness: sequence numbers, idle timeout, restore from a snapshot. */
class TranscodeFunctionTest {
    static final TranscodeSettings SETTINGS = new TranscodeSettings(Ladder.parse("source,180p:200,120p:100"), "ultrafast", 1, 30);
    static final long IDLE_MS = 10_000;
    static final long START_MS = 1_000_000;

    @TempDir static Path dir;
    static List<IngestRecord> records;

    @BeforeAll
    static void media() throws Exception {
        records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "320x240", 30, 4, 30), "stream-1", "session-1");
    }

    static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, MediaRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TranscodeFunction(SETTINGS, IDLE_MS)), IngestRecord::streamId, Types.STRING);
    }

    static void feed(KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, MediaRecord> h, List<IngestRecord> list) throws Exception {
        for (IngestRecord r : list) {
            h.setProcessingTime(START_MS + r.timestampMs());
            h.processElement(r, r.timestampMs());
        }
    }

    static List<MediaRecord> of(List<MediaRecord> out, MediaRecord.Type type, String rendition) {
        return out.stream().filter(m -> m.type() == type && m.rendition().equals(rendition)).toList();
    }

    @Test
    void emitsSegmentsWithRisingSequencesThenEndAfterTheIdleTimeout() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records);
            List<MediaRecord> live = new ArrayList<>(h.extractOutputValues());
            assertThat(of(live, MediaRecord.Type.SEGMENT, "source")).extracting(MediaRecord::sequence).containsExactly(0L, 1L, 2L);
            assertThat(live).noneMatch(m -> m.type() == MediaRecord.Type.END);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> all = h.extractOutputValues();
            for (String rendition : List.of("source", "180p", "120p")) {
                List<MediaRecord> segments = of(all, MediaRecord.Type.SEGMENT, rendition);
                assertThat(segments).extracting(MediaRecord::sequence).containsExactly(0L, 1L, 2L, 3L);
                assertThat(segments).allMatch(m -> m.independent() && !m.discontinuity() && m.sessionId().equals("session-1"));
                assertThat(segments).extracting(MediaRecord::wallClockMs).isSorted();
                assertThat(of(all, MediaRecord.Type.END, rendition)).singleElement()
                        .satisfies(end -> assertThat(end.sequence()).isEqualTo(3L));
            }
            assertThat(of(all, MediaRecord.Type.SEGMENT, "180p").get(0).height()).isEqualTo(180);
            assertThat(of(all, MediaRecord.Type.SEGMENT, "120p").get(0).width()).isEqualTo(160);
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aNewPublishingSessionEndsTheOldOneAndContinuesTheSequenceAfterAGap() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records.subList(0, indexOfKeyframe(2)));
            List<IngestRecord> second = records.stream().map(r -> new IngestRecord(r.streamId(), "session-2", r.kind(), r.timestampMs() + 10_000,
                    r.compositionTimeMs(), r.keyframe(), r.sequenceHeader(), r.codec(), r.payload())).toList();
            feed(h, second.subList(0, indexOfKeyframe(2)));
            List<MediaRecord> source = h.extractOutputValues().stream()
                    .filter(m -> m.rendition().equals("source") && m.type() != MediaRecord.Type.PART).toList();
            assertThat(source).extracting(MediaRecord::type, MediaRecord::sequence, MediaRecord::sessionId, MediaRecord::discontinuity)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 0L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 1L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.END, 1L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 2L, "session-2", true));
        }
    }

    @Test
    void aReconnectWithinTheSameSessionRestartsAtTheNextKeyframeWithoutEndingThePlaylists() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records.subList(0, indexOfKeyframe(2)));
            // the publisher comes back within the grace period: same session id, sequence headers again, time from 0
            for (IngestRecord r : records.subList(0, indexOfKeyframe(2))) {
                h.setProcessingTime(START_MS + 5_000 + r.timestampMs());
                h.processElement(r, r.timestampMs());
            }
            List<MediaRecord> source = h.extractOutputValues().stream()
                    .filter(m -> m.rendition().equals("source") && m.type() != MediaRecord.Type.PART).toList();
            assertThat(source).extracting(MediaRecord::type, MediaRecord::sequence, MediaRecord::sessionId, MediaRecord::discontinuity)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 0L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 1L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 2L, "session-1", true));
        }
    }

    @Test
    void afterARestoreTheSequenceContinuesAndTheFirstSegmentIsADiscontinuity() throws Exception {
        int cut = indexOfKeyframe(2) + 5; // the checkpoint falls mid-GOP
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            feed(h, records.subList(0, cut));
            assertThat(of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source")).extracting(MediaRecord::sequence).containsExactly(0L, 1L);
            snapshot = h.snapshot(1, START_MS);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            feed(h, records.subList(cut, records.size())); // the replay has no sequence headers: they come from state
            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> segments = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            assertThat(segments).extracting(MediaRecord::sequence).containsExactly(2L);
            assertThat(segments.get(0).discontinuity()).isTrue();
            assertThat(segments.get(0).ptsMs()).isEqualTo(records.get(indexOfKeyframe(3)).ptsMs());
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void everyRenditionSendsItsPartsBeforeTheirSegmentWithTheSegmentsSequence() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records);
            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> all = h.extractOutputValues();
            for (String rendition : List.of("source", "180p", "120p")) {
                List<MediaRecord> mine = all.stream().filter(m -> m.rendition().equals(rendition)).toList();
                long open = 0;
                int nextPart = 0;
                for (MediaRecord m : mine) {
                    if (m.type() == MediaRecord.Type.PART) {
                        assertThat(m.sequence()).as("%s part of the open segment", m).isEqualTo(open);
                        assertThat(m.partIndex()).isEqualTo(nextPart++);
                        assertThat(m.independent()).isEqualTo(m.partIndex() == 0);
                        assertThat(m.durationSec()).isLessThanOrEqualTo(0.333 + 1 / 30.0);
                    } else if (m.type() == MediaRecord.Type.SEGMENT) {
                        assertThat(m.sequence()).isEqualTo(open);
                        assertThat(nextPart).as("parts of segment %d came before it", open).isGreaterThanOrEqualTo(3);
                        open++;
                        nextPart = 0;
                    }
                }
                assertThat(open).isEqualTo(4);
            }
        }
    }

    /** Index in {@link #records} of the n-th (from 0) video keyframe. */
    static int indexOfKeyframe(int n) {
        int seen = 0;
        for (int i = 0; i < records.size(); i++) {
            IngestRecord r = records.get(i);
            if (r.kind() == IngestRecord.Kind.VIDEO && r.keyframe() && !r.sequenceHeader() && seen++ == n) return i;
        }
        throw new IllegalArgumentException("no keyframe " + n);
    }
}
