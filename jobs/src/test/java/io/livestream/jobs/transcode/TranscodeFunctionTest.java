package io.livestream.jobs.transcode;

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
    static final long NO_INPUT_ALLOWANCE_MS = 10_000;

    @TempDir static Path dir;
    static List<IngestRecord> records;

    @BeforeAll
    static void media() throws Exception {
        records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "320x240", 30, 4, 30), "stream-1", "session-1");
    }

    static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, MediaRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TranscodeFunction(SETTINGS, IDLE_MS, 0, NO_INPUT_ALLOWANCE_MS)), IngestRecord::streamId, Types.STRING);
    }

    static void feed(KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, MediaRecord> h, List<IngestRecord> list) throws Exception {
        for (IngestRecord r : list) {
            h.setProcessingTime(START_MS + r.timestampMs());
            h.processElement(r, r.timestampMs());
        }
    }

    /** The MPEG-TS records (and ENDs) of a type and rendition: numbering is the same in both containers (checked below). */
    static List<MediaRecord> of(List<MediaRecord> out, MediaRecord.Type type, String rendition) {
        return out.stream().filter(m -> m.type() == type && m.rendition().equals(rendition) && m.container() == MediaRecord.Container.TS).toList();
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
    void anHevcPublishIsTranscodedIntoTheH264LadderSourceRungIncluded() throws Exception {
        List<IngestRecord> hevc = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "hevc-320x240", "320x240", 30, 2,
                List.of("-c:v", "libx265", "-preset", "ultrafast", "-g", "30", "-x265-params", "scenecut=0:log-level=error")), "stream-1", "session-1");
        try (var h = harness()) {
            h.open();
            feed(h, hevc);
            h.setProcessingTime(START_MS + hevc.get(hevc.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> all = h.extractOutputValues();
            for (String rendition : List.of("source", "180p", "120p")) {
                assertThat(of(all, MediaRecord.Type.SEGMENT, rendition)).as(rendition).extracting(MediaRecord::sequence).containsExactly(0L, 1L);
                assertThat(of(all, MediaRecord.Type.SEGMENT, rendition)).allSatisfy(m -> assertThat(m.codecs()).startsWith("avc1."));
            }
            assertThat(of(all, MediaRecord.Type.SEGMENT, "source").get(0).height()).isEqualTo(240);
        }
    }

    @Test
    void segmentsAreDatedByWhenTheEdgeTookTheirMediaInNotByWhenTheyWereTranscoded() throws Exception {
        long ingestedAt = 1_796_000_000_000L;
        long transcodedLaterBy = 4_000; // a backlog read after a restore
        try (var h = harness()) {
            h.open();
            for (IngestRecord r : records) {
                h.setProcessingTime(ingestedAt + transcodedLaterBy + r.timestampMs());
                h.processElement(r, ingestedAt + r.timestampMs()); // the record's Kafka timestamp
            }
            h.setProcessingTime(ingestedAt + transcodedLaterBy + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> segments = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            assertThat(segments).hasSize(4);
            for (int i = 0; i < segments.size(); i++) {
                // PROGRAM-DATE-TIME: 1 s GOPs from the first keyframe's ingest time, not 4 s later
                assertThat(segments.get(i).wallClockMs()).isCloseTo(ingestedAt + records.get(0).timestampMs() + 1_000L * i,
                        org.assertj.core.data.Offset.offset(50L));
            }
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
                    .filter(m -> m.rendition().equals("source") && m.type() != MediaRecord.Type.PART
                            && m.container() == MediaRecord.Container.TS).toList();
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
                    .filter(m -> m.rendition().equals("source") && m.type() != MediaRecord.Type.PART
                            && m.container() == MediaRecord.Container.TS).toList();
            assertThat(source).extracting(MediaRecord::type, MediaRecord::sequence, MediaRecord::sessionId, MediaRecord::discontinuity)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 0L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 1L, "session-1", false),
                            org.assertj.core.groups.Tuple.tuple(MediaRecord.Type.SEGMENT, 2L, "session-1", true));
        }
    }

    @Test
    void afterARestoreTheGopInFlightIsSkippedAndTheNextKeepsItsNumber() throws Exception {
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
            // GOP 2 was in flight at the checkpoint (number 2 may be out with its parts): GOP 3 is still number 3
            assertThat(segments).extracting(MediaRecord::sequence).containsExactly(3L);
            assertThat(segments.get(0).discontinuity()).isTrue();
            assertThat(segments.get(0).ptsMs()).isEqualTo(records.get(indexOfKeyframe(3)).ptsMs());
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void afterARestoreTheBacklogIsSkippedToARecentKeyframeKeepingPerGopNumbers() throws Exception {
        int cut = indexOfKeyframe(1) + 5;
        OperatorSubtaskState snapshot = snapshotAt(cut);
        try (var h = restoredWithCatchUpLag(snapshot, 5_000)) {
            for (int i = cut; i < records.size(); i++) {
                IngestRecord r = records.get(i);
                long now = START_MS + 60_000 + r.timestampMs();
                h.setProcessingTime(now);
                // what queued in Kafka during the outage is a minute old; from GOP 3 on the publisher is live again
                h.processElement(r, i < indexOfKeyframe(3) ? now - 60_000 : now);
            }
            h.setProcessingTime(START_MS + 60_000 + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> segments = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            assertThat(segments).extracting(MediaRecord::sequence).containsExactly(3L);
            assertThat(segments.get(0).ptsMs()).isEqualTo(records.get(indexOfKeyframe(3)).ptsMs());
            assertThat(segments.get(0).discontinuity()).isTrue();
        }
    }

    @Test
    void aNewSessionAfterARestoreThatSkippedTheBacklogNumbersAfterEverySkippedGop() throws Exception {
        // the run before the failure may have emitted the GOPs the restored one skips: their numbers are used up
        int cut = indexOfKeyframe(1) + 5;
        OperatorSubtaskState snapshot = snapshotAt(cut);
        List<IngestRecord> nextSession = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "320x240", 30, 2, 30), "stream-1", "session-2");
        try (var h = restoredWithCatchUpLag(snapshot, 5_000)) {
            long now = START_MS + 60_000;
            for (IngestRecord r : records.subList(cut, records.size())) { // all of it a minute old: every GOP from 2 on skipped
                h.setProcessingTime(now + r.timestampMs());
                h.processElement(r, r.timestampMs());
            }
            long later = now + 10_000;
            for (IngestRecord r : nextSession) {
                h.setProcessingTime(later + r.timestampMs());
                h.processElement(r, later + r.timestampMs());
            }
            h.setProcessingTime(later + nextSession.get(nextSession.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> segments = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            assertThat(segments).isNotEmpty().allMatch(m -> m.sessionId().equals("session-2"));
            long skipped = records.subList(cut, records.size()).stream()
                    .filter(r -> r.kind() == IngestRecord.Kind.VIDEO && r.keyframe() && !r.sequenceHeader()).count();
            assertThat(skipped).isGreaterThanOrEqualTo(2);
            // GOP 1 was open at the checkpoint; the skipped ones were numbered 2, 3...
            assertThat(segments.get(0).sequence()).as("after the %d GOPs of session-1 it skipped", skipped).isEqualTo(2 + skipped);
        }
    }

    @Test
    void aRestoresBacklogOfSecondsIsTranscodedWholeNotSkippedAndNotCutWhileItDrains() throws Exception {
        // the failover took 8 s: the restored job reads that backlog at twice real time, 8 s behind at first, 6 s at the end
        int cut = indexOfKeyframe(1) + 5;
        OperatorSubtaskState snapshot = snapshotAt(cut);
        try (var h = restoredWithCatchUpLag(snapshot, 5_000)) {
            long restoredAt = START_MS + records.get(cut).timestampMs() + 8_000;
            for (IngestRecord r : records.subList(cut, records.size())) {
                long ingested = START_MS + r.timestampMs();
                h.setProcessingTime(restoredAt + (r.timestampMs() - records.get(cut).timestampMs()) / 2);
                h.processElement(r, ingested);
            }
            h.setProcessingTime(restoredAt + 60_000);
            List<MediaRecord> segments = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            // GOP 1 was in flight at the checkpoint (lost); every later whole GOP is there, numbered on: 2, 3 (the
            // clip's last keyframe opens a GOP of a frame or two, no segment)
            assertThat(segments).extracting(MediaRecord::sequence).containsExactly(2L, 3L);
            assertThat(segments.get(0).discontinuity()).isTrue();
        }
    }

    @Test
    void aRestoreOnAColdTaskManagerWhoseLagGrowsPastTheCutBeforeItDrainsIsNotCut() throws Exception {
        // read at a third of real time at first: 4.7 s behind at the next keyframe, 6.7 s at the one after, as a cold
        // TaskManager did in the failover suite
        assertThat(sourceSegmentsOfARestoreThreeSecondsBehindReadAtOneIn(3)).containsExactly(2L, 3L);
    }

    @Test
    void aRestoredSessionStillFallingBehindAfterItsWarmUpIsCutAsAnOverload() throws Exception {
        // read at a fifteenth of real time: the next keyframe 12.5 s after the restore (15 s behind), the one after
        // 15 s later still (29 s behind): past the warm-up, that is an overload, and GOP 3 is shed
        assertThat(sourceSegmentsOfARestoreThreeSecondsBehindReadAtOneIn(15)).containsExactly(2L);
    }

    @Test
    void aRestoredBacklogStillDrainingAfterTheWarmUpIsNotCut() throws Exception {
        // a JobManager failover's backlog: 12 s behind at the restored session's first keyframe, 11.5 s at the next one
        // 11 s later (past the warm-up, over the 5 s cut, but shrinking)
        int cut = indexOfKeyframe(1) + 5;
        OperatorSubtaskState snapshot = snapshotAt(cut);
        try (var h = restoredWithCatchUpLag(snapshot, 5_000)) {
            long restoredAt = START_MS + 100_000;
            int keyframe2 = indexOfKeyframe(2), keyframe3 = indexOfKeyframe(3);
            for (int i = cut; i < records.size(); i++) {
                // GOP 2 read slowly over 11 s (no pause as long as the idle timeout), the rest at once
                long at = restoredAt + (i - cut) + (long) Math.min(Math.max(i - keyframe2, 0), keyframe3 - keyframe2) * 11_000 / (keyframe3 - keyframe2);
                h.setProcessingTime(at);
                h.processElement(records.get(i), at - (i >= keyframe3 ? 11_500 : 12_000));
            }
            h.setProcessingTime(restoredAt + 60_000);
            assertThat(of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source")).extracting(MediaRecord::sequence)
                    .containsExactly(2L, 3L);
        }
    }

    @Test
    void aDrainingBacklogIsJudgedOverAPeriodNotCutForOneKeyframeThatCameALittleLater() throws Exception {
        // a JobManager failover's backlog, 12 s behind: GOP 1 read over 11 s (the warm-up ends), GOP 2 in 1 s, and GOP
        // 3's keyframe 12.3 s behind, 0.3 s more than GOP 2's: not a sign of overload within one period of checks
        int cut = indexOfKeyframe(1) - 5;
        OperatorSubtaskState snapshot = snapshotAt(cut);
        try (var h = restoredWithCatchUpLag(snapshot, 5_000)) {
            long restoredAt = START_MS + 100_000;
            int keyframe1 = indexOfKeyframe(1), keyframe2 = indexOfKeyframe(2), keyframe3 = indexOfKeyframe(3);
            for (int i = cut; i < records.size(); i++) {
                long at = restoredAt + (i - cut)
                        + (long) Math.min(Math.max(i - keyframe1, 0), keyframe2 - keyframe1) * 11_000 / (keyframe2 - keyframe1)
                        + (long) Math.min(Math.max(i - keyframe2, 0), keyframe3 - keyframe2) * 1_000 / (keyframe3 - keyframe2);
                h.setProcessingTime(at);
                h.processElement(records.get(i), at - (i >= keyframe3 ? 12_300 : 12_000));
            }
            h.setProcessingTime(restoredAt + 60_000);
            assertThat(of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source")).extracting(MediaRecord::sequence)
                    .containsExactly(1L, 2L, 3L);
        }
    }

    /** Restored mid-GOP 1, 3 s behind live (under the 5 s cut), then reading media at 1/{@code slowdown} of real time. */
    private List<Long> sourceSegmentsOfARestoreThreeSecondsBehindReadAtOneIn(int slowdown) throws Exception {
        int cut = indexOfKeyframe(1) + 5;
        OperatorSubtaskState snapshot = snapshotAt(cut);
        try (var h = restoredWithCatchUpLag(snapshot, 5_000)) {
            long restoredAt = START_MS + records.get(cut).timestampMs() + 3_000;
            for (IngestRecord r : records.subList(cut, records.size())) {
                h.setProcessingTime(restoredAt + (r.timestampMs() - records.get(cut).timestampMs()) * slowdown);
                h.processElement(r, START_MS + r.timestampMs());
            }
            h.setProcessingTime(restoredAt + 60_000);
            return of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source").stream().map(MediaRecord::sequence).toList();
        }
    }

    @Test
    void aSessionThatFallsBehindLiveSkipsToTheNewestGopKeepingPerGopNumbers() throws Exception {
        var operator = new KeyedProcessOperator<>(new TranscodeFunction(SETTINGS, IDLE_MS, 5_000));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, IngestRecord::streamId, Types.STRING)) {
            h.open();
            for (int i = 0; i < records.size(); i++) {
                IngestRecord r = records.get(i);
                long now = START_MS + r.timestampMs();
                h.setProcessingTime(now);
                // GOP 2 is read 8 s after the edge took it in (the subtask fell behind: overload); GOP 3 is live again
                boolean late = i >= indexOfKeyframe(2) && i < indexOfKeyframe(3);
                h.processElement(r, late ? now - 8_000 : now);
            }
            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> out = h.extractOutputValues();
            for (String rendition : List.of("source", "180p")) {
                List<MediaRecord> segments = of(out, MediaRecord.Type.SEGMENT, rendition);
                // GOP 2 was not transcoded; GOP 3 keeps its number and starts after a discontinuity
                assertThat(segments).extracting(MediaRecord::sequence).as(rendition).containsExactly(0L, 1L, 3L);
                assertThat(segments.get(2).discontinuity()).isTrue();
                assertThat(segments.get(2).ptsMs()).isEqualTo(records.get(indexOfKeyframe(3)).ptsMs());
                assertThat(of(out, MediaRecord.Type.END, rendition)).singleElement().satisfies(end -> assertThat(end.sequence()).isEqualTo(3L));
            }
            assertThat(out).filteredOn(m -> m.type() == MediaRecord.Type.SEGMENT).allMatch(m -> m.sessionId().equals("session-1"));
        }
    }

    @Test
    void aReplayFromACheckpointBetweenGopsRenumbersNothing() throws Exception {
        int cut = indexOfKeyframe(2); // the checkpoint falls right before GOP 2's keyframe
        OperatorSubtaskState snapshot;
        List<MediaRecord> before;
        try (var h = harness()) {
            h.open();
            feed(h, records.subList(0, cut));
            snapshot = h.snapshot(1, START_MS);
            feed(h, records.subList(cut, records.size()));
            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            before = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            feed(h, records.subList(cut, records.size()));
            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> after = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            assertThat(after).extracting(MediaRecord::sequence, MediaRecord::ptsMs)
                    .containsExactlyElementsOf(before.stream().filter(m -> m.sequence() >= 2)
                            .map(m -> org.assertj.core.groups.Tuple.tuple(m.sequence(), m.ptsMs())).toList());
        }
    }

    @Test
    void aSessionOpenAtTheCheckpointEndsAfterTheRestoreWhenNoMediaFollows() throws Exception {
        OperatorSubtaskState snapshot = snapshotMidGop2();
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open(); // the publisher's edge died with the platform: nothing more arrives
            long restoredAt = START_MS + 60_000;
            long silentFrom = restoredAt + NO_INPUT_ALLOWANCE_MS; // no input at all: it may still be starting
            h.setProcessingTime(restoredAt);
            h.setProcessingTime(silentFrom + IDLE_MS - 1_000);
            assertThat(h.extractOutputValues()).as("silence counts from the first input, or the allowance without any").isEmpty();
            h.setProcessingTime(silentFrom + IDLE_MS);
            h.setProcessingTime(silentFrom + IDLE_MS + 1); // the harness fires a timer moved into the past at the next tick
            List<MediaRecord> ends = h.extractOutputValues().stream().filter(m -> m.type() == MediaRecord.Type.END).toList();
            assertThat(ends).extracting(MediaRecord::rendition).containsExactlyInAnyOrder("source", "180p", "120p");
            assertThat(ends).allSatisfy(end -> assertThat(end.sequence()).isEqualTo(1L));
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).as("the next sequence number, the codec configurations and the video codec are kept").isEqualTo(4);
        }
    }

    @Test
    void mediaOfASessionEndedAfterTheRestoreStartsItAgainAtTheNextKeyframe() throws Exception {
        // the restored session was ended for silence, then its media came after all (a source that started late):
        // the stream must not stay dead waiting for the sequence headers, which the publisher sent once
        OperatorSubtaskState snapshot = snapshotMidGop2();
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            long restoredAt = START_MS + 60_000;
            h.setProcessingTime(restoredAt);
            h.setProcessingTime(restoredAt + NO_INPUT_ALLOWANCE_MS + IDLE_MS + 1);
            assertThat(h.extractOutputValues()).extracting(MediaRecord::type).contains(MediaRecord.Type.END);
            long base = restoredAt + NO_INPUT_ALLOWANCE_MS + IDLE_MS + 1_000;
            for (IngestRecord r : records.subList(indexOfKeyframe(2) + 5, records.size())) {
                h.setProcessingTime(base + r.timestampMs());
                h.processElement(r, base + r.timestampMs());
            }
            h.setProcessingTime(base + records.get(records.size() - 1).timestampMs() + IDLE_MS); // the last GOP is flushed
            List<MediaRecord> segments = of(h.extractOutputValues(), MediaRecord.Type.SEGMENT, "source");
            assertThat(segments).as("transcoding again from the next keyframe").isNotEmpty();
            assertThat(segments).extracting(MediaRecord::sequence).allSatisfy(seq -> assertThat(seq).isGreaterThan(1L));
            assertThat(segments.get(0).discontinuity()).isTrue();
        }
    }

    /** A checkpoint taken mid-GOP 2 (segments 0 and 1 out) with the session open. */
    /** A checkpoint taken after the first {@code cut} records. */
    static OperatorSubtaskState snapshotAt(int cut) throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records.subList(0, cut));
            return h.snapshot(1, START_MS);
        }
    }

    /** The operator restored from {@code snapshot}, with the overload policy at {@code catchUpLagMs}, open. */
    static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, MediaRecord> restoredWithCatchUpLag(OperatorSubtaskState snapshot,
                                                                                                      long catchUpLagMs) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TranscodeFunction(SETTINGS, IDLE_MS, catchUpLagMs)),
                IngestRecord::streamId, Types.STRING);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    static OperatorSubtaskState snapshotMidGop2() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records.subList(0, indexOfKeyframe(2) + 5));
            return h.snapshot(1, START_MS);
        }
    }

    @Test
    void aCleanStopEndsTheSessionAtOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records);
            IngestRecord last = records.get(records.size() - 1);
            h.processElement(IngestRecord.endOfSession("stream-1", "session-1", last.timestampMs()), last.timestampMs());
            List<MediaRecord> out = h.extractOutputValues();
            assertThat(out.stream().filter(m -> m.type() == MediaRecord.Type.END)).extracting(MediaRecord::rendition)
                    .containsExactlyInAnyOrder("source", "180p", "120p");
            assertThat(of(out, MediaRecord.Type.SEGMENT, "source")).extracting(MediaRecord::sequence).containsExactly(0L, 1L, 2L, 3L);
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.processElement(IngestRecord.endOfSession("stream-1", "session-1", last.timestampMs()), last.timestampMs());
            assertThat(h.extractOutputValues()).as("a second END is stale").hasSize(out.size());
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
                List<MediaRecord> mine = all.stream().filter(m -> m.rendition().equals(rendition) && m.container() == MediaRecord.Container.TS).toList();
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

    @Test
    void everyTsRecordHasAnFmp4TwinWithTheSameNumbersAndEachSegmentsFirstFmp4PartFollowsItsInit() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, records);
            h.setProcessingTime(START_MS + records.get(records.size() - 1).timestampMs() + IDLE_MS);
            List<MediaRecord> all = h.extractOutputValues();
            for (String rendition : List.of("source", "180p", "120p")) {
                List<MediaRecord> ts = all.stream().filter(m -> m.rendition().equals(rendition) && m.type() != MediaRecord.Type.END
                        && m.container() == MediaRecord.Container.TS).toList();
                List<MediaRecord> fmp4 = all.stream().filter(m -> m.rendition().equals(rendition) && m.type() != MediaRecord.Type.INIT
                        && m.container() == MediaRecord.Container.FMP4).toList();
                assertThat(fmp4).extracting(MediaRecord::type, MediaRecord::sequence, MediaRecord::partIndex, MediaRecord::wallClockMs)
                        .isEqualTo(ts.stream().map(m -> org.assertj.core.groups.Tuple.tuple(m.type(), m.sequence(), m.partIndex(), m.wallClockMs())).toList());
                List<MediaRecord> ordered = all.stream().filter(m -> m.rendition().equals(rendition) && m.container() == MediaRecord.Container.FMP4).toList();
                for (int i = 0; i < ordered.size(); i++) {
                    MediaRecord m = ordered.get(i);
                    if (m.type() == MediaRecord.Type.PART && m.partIndex() == 0) {
                        MediaRecord init = ordered.get(i - 1);
                        assertThat(init.type()).as("before %s", m).isEqualTo(MediaRecord.Type.INIT);
                        assertThat(io.livestream.common.media.Mp4Boxes.isInitSegment(init.payload())).isTrue();
                    }
                    if (m.type() == MediaRecord.Type.PART) assertThat(io.livestream.common.media.Mp4Boxes.isChunks(m.payload())).as("%s", m).isTrue();
                }
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
