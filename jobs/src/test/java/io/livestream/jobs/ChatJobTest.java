package io.livestream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.jobs.chat.ChatSettings;
import io.livestream.jobs.records.ChatInput;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tier 3: the chat job on a MiniCluster with a list source and collecting sinks for fan-out and analytics. */
class ChatJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final long T0 = 1_700_000_000_000L;

    @Test
    void settingsComeFromTheArguments() {
        ChatSettings s = ChatJob.settingsFrom(ParameterTool.fromArgs(new String[] {"--blocked-words", "Foo, bar", "--slow-mode-default-seconds", "5"}));
        assertThat(s.blockedWords()).containsExactly("foo", "bar");
        assertThat(s.defaultSlowModeSeconds()).isEqualTo(5);
    }

    @Test
    void fansOutVerdictsAndSendsOnlyMessagesAndRefusalsToAnalytics() throws Exception {
        List<ChatInput> inputs = List.of(
                ChatInput.of(ChatSubmitted.of("s", "m1", "ann", ChatRole.VIEWER, "hello", T0, "gw/1")),
                ChatInput.of(ChatSubmitted.of("s", "m2", "ann", ChatRole.VIEWER, "again", T0 + 1000, "gw/1")),
                ChatInput.of(new ChatModeration(1, "s", "a1", ChatModeration.DELETE, "bc", "broadcaster", null, "m1", null, T0 + 1500, "gw/2")));
        ChatInput last = ChatInput.of(ChatSubmitted.of("t", "m3", "bob", ChatRole.VIEWER, "bye", T0, "gw/1"));
        CollectingSink<ChatEvent> fanout = new CollectingSink<>("chat-fanout");
        CollectingSink<ChatEvent> analytics = new CollectingSink<>("chat-analytics");
        // one source subtask: the list's order is the order a stream's records have in its Kafka partition
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        new ChatJob(ListSource.of("chat-job-test", inputs, last, 0, TypeInformation.of(ChatInput.class)), null,
                fanout, analytics, ChatSettings.DEFAULTS).build(env);
        env.execute("chat-job-test");

        assertThat(fanout.collected()).extracting(ChatEvent::type)
                .containsExactly(ChatEvent.MESSAGE, ChatEvent.REJECTED, ChatEvent.MODERATION, ChatEvent.MESSAGE);
        assertThat(fanout.collected().get(1).rejected().retryAfterSeconds()).isEqualTo(2);
        assertThat(analytics.collected()).extracting(ChatEvent::type)
                .containsExactly(ChatEvent.MESSAGE, ChatEvent.REJECTED, ChatEvent.MESSAGE);
    }
}
