package io.livestream.jobs.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.lifecycle.LifecycleDecision.Type;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Tier 2: the lifecycle operator in a test harness, on processing time. */
class StreamLifecycleFunctionTest {
    static final long SILENCE = 2_000;
    static final long GRACE = 15_000;
    static final long NO_INPUT_ALLOWANCE = 10_000;

    static KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, LifecycleDecision> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StreamLifecycleFunction(SILENCE, GRACE, NO_INPUT_ALLOWANCE)), IngestRecord::streamId, Types.STRING);
    }

    static IngestRecord video(String session, long ts) {
        return video("s1", session, ts);
    }

    static IngestRecord video(String stream, String session, long ts) {
        return new IngestRecord(stream, session, IngestRecord.Kind.VIDEO, ts, 0, false, false, "avc1", new byte[] {0x27, 1, 0, 0, 0});
    }

    /** Media every 100 ms from {@code fromMs} to {@code toMs} (processing time). */
    static void media(KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, LifecycleDecision> h, String session, long fromMs, long toMs) throws Exception {
        for (long t = fromMs; t <= toMs; t += 100) {
            h.setProcessingTime(t);
            h.processElement(video(session, t), t);
        }
    }

    @Test
    void mediaThatStopsGoesReconnectingThenEndsAtTheLastMediaAfterTheGrace() throws Exception {
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 10_000);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(10_000 + SILENCE);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type, LifecycleDecision::atMs)
                    .containsExactly(tuple(Type.RECONNECTING, 10_000L));
            h.setProcessingTime(10_000 + GRACE - 1);
            assertThat(h.extractOutputValues()).hasSize(1);
            h.setProcessingTime(10_000 + GRACE);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type, LifecycleDecision::sessionId, LifecycleDecision::atMs, LifecycleDecision::reason)
                    .containsExactly(tuple(Type.RECONNECTING, "a", 10_000L, null), tuple(Type.ENDED, "a", 10_000L, "disconnect"));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void mediaBackWithinTheGraceResumesTheSession() throws Exception {
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 5_000);
            h.setProcessingTime(5_000 + SILENCE + 500);
            media(h, "a", 9_000, 12_000); // the publisher came back through another edge
            h.setProcessingTime(12_000 + SILENCE - 1);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type, LifecycleDecision::atMs)
                    .containsExactly(tuple(Type.RECONNECTING, 5_000L), tuple(Type.RESUMED, 9_000L));
            assertThat(h.numProcessingTimeTimers()).as("one timer per stream").isEqualTo(1);
        }
    }

    @Test
    void aBacklogReadAfterTheRestoreKeepsTheSessionLive() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 6_000);
            checkpoint = h.snapshot(1, 6_000);
        }
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            h.setProcessingTime(60_000); // restored a minute later; the publisher is still sending
            media(h, "a", 60_100, 70_000);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aCleanStopEndsAtOnceAndLeavesNothingBehind() throws Exception {
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 3_000);
            h.processElement(IngestRecord.endOfSession("s1", "a", 3_000), 3_000);
            h.processElement(IngestRecord.endOfSession("s1", "a", 3_000), 3_000); // a replay: nothing more
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type, LifecycleDecision::reason)
                    .containsExactly(tuple(Type.ENDED, "unpublish"));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aNewSessionForgetsTheOldOne() throws Exception {
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 2_000);
            media(h, "b", 2_500, 4_000);
            h.setProcessingTime(4_000 + GRACE);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type, LifecycleDecision::sessionId)
                    .containsExactly(tuple(Type.RECONNECTING, "b"), tuple(Type.ENDED, "b"));
        }
    }

    @Test
    void aStreamWhosePublisherDiedWithThePlatformEndsAfterTheRestore() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 6_000);
            checkpoint = h.snapshot(1, 6_000);
        }
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            h.setProcessingTime(120_000); // the platform came back two minutes later; the publisher did not
            assertThat(h.extractOutputValues()).as("the backlog may yet show it live: silence counts from the restore").isEmpty();
            h.setProcessingTime(120_000 + NO_INPUT_ALLOWANCE + SILENCE - 1);
            assertThat(h.extractOutputValues()).as("no input at all yet: the input may still be starting").isEmpty();
            h.setProcessingTime(120_000 + NO_INPUT_ALLOWANCE + SILENCE);
            h.setProcessingTime(120_000 + NO_INPUT_ALLOWANCE + GRACE);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type, LifecycleDecision::atMs)
                    .as("ended at its last media").containsExactly(tuple(Type.RECONNECTING, 6_000L), tuple(Type.ENDED, 6_000L));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aBacklogThatComesLongAfterTheRestoreDoesNotEndTheSession() throws Exception {
        // on a loaded cluster a restored source can deliver its first record 15 s after the operator started (a
        // sibling operator still restoring back-pressures it): longer than the grace, which must not end the stream
        OperatorSubtaskState checkpoint;
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 6_000);
            checkpoint = h.snapshot(1, 6_000);
        }
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            h.setProcessingTime(60_000);
            h.setProcessingTime(60_000 + GRACE + 2_000);
            media(h, "a", 60_000 + GRACE + 2_000, 60_000 + GRACE + 10_000);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type).doesNotContain(Type.ENDED);
            assertThat(h.extractOutputValues()).extracting(LifecycleDecision::type).containsExactly(Type.RECONNECTING, Type.RESUMED);
        }
    }

    @Test
    void afterARestoreSilenceCountsFromTheFirstInputOfAnyStream() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var h = harness()) {
            h.open();
            media(h, "a", 1_000, 6_000);
            checkpoint = h.snapshot(1, 6_000);
        }
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            h.setProcessingTime(60_000);
            // input flows (another stream's) from 61 s: s1's publisher is gone, so its silence counts from there
            for (long t = 61_000; t <= 61_000 + GRACE; t += 500) {
                h.setProcessingTime(t);
                h.processElement(video("s2", "b", t), t);
            }
            assertThat(h.extractOutputValues()).filteredOn(d -> d.streamId().equals("s1"))
                    .extracting(LifecycleDecision::type).containsExactly(Type.RECONNECTING, Type.ENDED);
        }
    }
}
