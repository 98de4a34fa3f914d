package io.livestream.jobs.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.events.StreamEvent;
import io.livestream.jobs.records.ChatInput;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Tier 2: the operator in a harness: state per stream, survival across a snapshot, and the sweep leaving nothing behind. */
class ChatFunctionTest {
    static final long T0 = 1_700_000_000_000L;

    static KeyedOneInputStreamOperatorTestHarness<String, ChatInput, ChatEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ChatFunction(ChatSettings.DEFAULTS)), ChatInput::streamId, Types.STRING);
    }

    static ChatInput msg(String stream, String id, String user, String text, long at) {
        return ChatInput.of(ChatSubmitted.of(stream, id, user, ChatRole.VIEWER, text, at, "gw/1"));
    }

    static ChatInput ban(String stream, String user, long at) {
        return ChatInput.of(new ChatModeration(1, stream, "a-" + user, ChatModeration.BAN, "mod", "moderator", user, null, null, at, "gw/1"));
    }

    @Test
    void decidesPerStreamKeepsBansAcrossASnapshotAndSweepsPerUserState() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(T0);
            h.processElement(ChatInput.of(StreamEvent.of(StreamEvent.LIVE, "a", "sess", T0 - 5_000, null)), 0);
            h.processElement(msg("a", "m1", "ann", "hi", T0), 0);
            h.processElement(msg("b", "m2", "ann", "hi", T0 + 100), 0); // other stream: its own slow mode
            h.processElement(msg("a", "m3", "ann", "hi again", T0 + 200), 0);
            h.processElement(ban("a", "bob", T0 + 300), 0);
            List<ChatEvent> out = h.extractOutputValues();
            assertThat(out).extracting(ChatEvent::type).containsExactly(
                    ChatEvent.MESSAGE, ChatEvent.MESSAGE, ChatEvent.REJECTED, ChatEvent.MODERATION);
            assertThat(out.get(0).message().streamTime()).isEqualTo(5.0);
            assertThat(out.get(1).message().streamTime()).isNull();
            assertThat(out.get(2).rejected().reason()).isEqualTo(ChatRejected.SLOW_MODE);
            snapshot = h.snapshot(1, T0 + 400);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(T0 + 1_000);
            h.processElement(msg("a", "m4", "bob", "let me in", T0 + 1_000), 0);
            h.processElement(msg("a", "m5", "ann", "hi", T0 + 10_000), 0);
            assertThat(h.extractOutputValues()).extracting(e -> e.type() + ":" + (e.rejected() == null ? "" : e.rejected().reason()))
                    .containsExactly("rejected:banned", "rejected:duplicate");
            assertThat(h.numProcessingTimeTimers()).as("one sweep per stream").isEqualTo(2);
            h.setProcessingTime(T0 + 1_000 + 3 * ChatFunction.SWEEP_INTERVAL_MS);
            assertThat(h.numProcessingTimeTimers()).as("nothing left to sweep").isZero();
            assertThat(h.numKeyedStateEntries()).as("per stream: sweep marker gone; bans and live-since stay").isEqualTo(2);
        }
    }
}
