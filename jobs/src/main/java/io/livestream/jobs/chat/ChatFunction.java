package io.livestream.jobs.chat;

import io.livestream.common.chat.ChatEvent;
import io.livestream.jobs.records.ChatInput;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The chat job's operator, keyed by stream id: {@link ChatRules} over Flink keyed state. Per-user entries are map
 * state (a room may have 100K users); a processing-time sweep every {@value #SWEEP_INTERVAL_MS} ms drops entries
 * that no longer decide anything, and stops when the room's per-user state is empty.
 */
public class ChatFunction extends KeyedProcessFunction<String, ChatInput, ChatEvent> {
    static final long SWEEP_INTERVAL_MS = 60_000;
    /** Longer than any slow mode (120 s) so a remembered last-message time still decides. */
    static final long LAST_MESSAGE_RETENTION_MS = 125_000;

    private final ChatRules rules;
    private transient ValueState<Integer> slowMode;
    private transient ValueState<Long> liveSince;
    private transient ValueState<Long> sweepAt;
    private transient MapState<String, Boolean> bans;
    private transient MapState<String, Long> timeouts;
    private transient MapState<String, Long> lastMessage;
    private transient MapState<String, Long> recentTexts;
    private transient ChatRoomState state;

    public ChatFunction(ChatSettings settings) {
        this.rules = new ChatRules(settings);
    }

    @Override
    public void open(OpenContext openContext) {
        slowMode = getRuntimeContext().getState(new ValueStateDescriptor<>("slow-mode-seconds", Types.INT));
        liveSince = getRuntimeContext().getState(new ValueStateDescriptor<>("live-since", Types.LONG));
        sweepAt = getRuntimeContext().getState(new ValueStateDescriptor<>("sweep-at", Types.LONG));
        bans = getRuntimeContext().getMapState(new MapStateDescriptor<>("bans", Types.STRING, Types.BOOLEAN));
        timeouts = getRuntimeContext().getMapState(new MapStateDescriptor<>("timeouts", Types.STRING, Types.LONG));
        lastMessage = getRuntimeContext().getMapState(new MapStateDescriptor<>("last-message", Types.STRING, Types.LONG));
        recentTexts = getRuntimeContext().getMapState(new MapStateDescriptor<>("recent-texts", Types.STRING, Types.LONG));
        state = new FlinkRoomState();
    }

    @Override
    public void processElement(ChatInput input, Context ctx, Collector<ChatEvent> out) throws Exception {
        if (input.event() != null) {
            rules.onStreamEvent(input.event(), state);
            return;
        }
        ChatEvent result = input.submitted() != null ? rules.onMessage(input.submitted(), state)
                : rules.onModeration(input.moderation(), state);
        out.collect(result);
        if (sweepAt.value() == null && hasPerUserState()) {
            long at = ctx.timerService().currentProcessingTime() + SWEEP_INTERVAL_MS;
            ctx.timerService().registerProcessingTimeTimer(at);
            sweepAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChatEvent> out) throws Exception {
        sweepAt.clear();
        removeOlderThan(recentTexts, timestamp - rules.settings().duplicateWindowMs());
        removeOlderThan(lastMessage, timestamp - LAST_MESSAGE_RETENTION_MS);
        removeOlderThan(timeouts, timestamp);
        if (hasPerUserState()) {
            long at = timestamp + SWEEP_INTERVAL_MS;
            ctx.timerService().registerProcessingTimeTimer(at);
            sweepAt.update(at);
        }
    }

    private boolean hasPerUserState() throws Exception {
        return !recentTexts.isEmpty() || !lastMessage.isEmpty() || !timeouts.isEmpty();
    }

    private static void removeOlderThan(MapState<String, Long> map, long cutoff) throws Exception {
        Iterator<Map.Entry<String, Long>> it = map.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() < cutoff) it.remove();
        }
        if (map.isEmpty()) map.clear(); // drops the empty map itself, not only its entries

    }

    /** Bans are kept until lifted; everything else is swept. */
    private final class FlinkRoomState implements ChatRoomState {
        @Override public Integer slowModeSeconds() { return get(() -> slowMode.value()); }
        @Override public void setSlowModeSeconds(int seconds) { run(() -> slowMode.update(seconds)); }
        @Override public boolean isBanned(String user) { return Boolean.TRUE.equals(get(() -> bans.get(user))); }
        @Override public void setBanned(String user, boolean banned) { run(() -> { if (banned) bans.put(user, true); else bans.remove(user); }); }
        @Override public Long timedOutUntil(String user) { return get(() -> timeouts.get(user)); }
        @Override public void setTimedOutUntil(String user, Long until) { run(() -> { if (until != null) timeouts.put(user, until); else timeouts.remove(user); }); }
        @Override public Long lastMessageAt(String user) { return get(() -> lastMessage.get(user)); }
        @Override public void setLastMessageAt(String user, long at) { run(() -> lastMessage.put(user, at)); }
        @Override public Long textSentAt(String userAndText) { return get(() -> recentTexts.get(userAndText)); }
        @Override public void setTextSentAt(String userAndText, long at) { run(() -> recentTexts.put(userAndText, at)); }
        @Override public Long liveSince() { return get(() -> liveSince.value()); }
        @Override public void setLiveSince(Long at) { run(() -> { if (at != null) liveSince.update(at); else liveSince.clear(); }); }
    }

    private interface StateCall<T> { T call() throws Exception; }

    private interface StateRun { void run() throws Exception; }

    private static <T> T get(StateCall<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException("state access failed", e);
        }
    }

    private static void run(StateRun call) {
        get(() -> { call.run(); return null; });
    }
}
