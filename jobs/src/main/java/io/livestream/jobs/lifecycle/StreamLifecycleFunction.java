package io.livestream.jobs.lifecycle;

import io.livestream.common.ingest.IngestRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides each stream's lifecycle from its media, keyed by stream id, whatever process held the publisher: media
 * silent for {@code silenceMs} puts the session in its reconnect grace ({@link LifecycleDecision.Type#RECONNECTING}),
 * media again takes it out ({@link LifecycleDecision.Type#RESUMED}), and silence for {@code graceMs} ends it
 * ({@link LifecycleDecision.Type#ENDED}, reason disconnect, at the last media). An END ingest record (a clean stop)
 * ends it at once (reason unpublish; the edge usually got there first, and ending twice is a no-op).
 *
 * <p>Why processing time: the question is "has media stopped arriving", which is about now, not about the
 * publisher's timestamps; and the timers are in the checkpoint, so after a crash of the whole platform a restored
 * job still ends the sessions whose publishers are gone (a restored timer in the past fires at once). Why here and
 * not in the transcode job: this job is light and never back-pressured by encoding, so silence means silence.
 */
public class StreamLifecycleFunction extends KeyedProcessFunction<String, IngestRecord, LifecycleDecision> {
    /** Media silent this long: the publisher is gone (frames come every 33 ms, audio every 21 ms). */
    public static final long DEFAULT_SILENCE_MS = 2_000;

    private final long silenceMs;
    private final long graceMs;
    private transient ValueState<String> session;
    private transient ValueState<Long> lastMediaMs;
    private transient ValueState<Boolean> reconnecting;
    private transient ValueState<Long> timerAt;
    private final long noInputAllowanceMs;
    private transient SilenceClock silenceClock;

    public StreamLifecycleFunction(long silenceMs, long graceMs) {
        this(silenceMs, graceMs, SilenceClock.DEFAULT_NO_INPUT_ALLOWANCE_MS);
    }

    /** @param noInputAllowanceMs after a restore with no input at all, how long before silence counts ({@link SilenceClock}) */
    public StreamLifecycleFunction(long silenceMs, long graceMs, long noInputAllowanceMs) {
        if (silenceMs <= 0 || graceMs < silenceMs) throw new IllegalArgumentException("need 0 < silence <= grace");
        this.silenceMs = silenceMs;
        this.graceMs = graceMs;
        this.noInputAllowanceMs = noInputAllowanceMs;
    }

    @Override
    public void open(OpenContext openContext) {
        session = getRuntimeContext().getState(new ValueStateDescriptor<>("lifecycle-session", Types.STRING));
        lastMediaMs = getRuntimeContext().getState(new ValueStateDescriptor<>("lifecycle-last-media", Types.LONG));
        reconnecting = getRuntimeContext().getState(new ValueStateDescriptor<>("lifecycle-reconnecting", Types.BOOLEAN));
        timerAt = getRuntimeContext().getState(new ValueStateDescriptor<>("lifecycle-timer", Types.LONG));
        silenceClock = new SilenceClock(noInputAllowanceMs);
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<LifecycleDecision> out) throws Exception {
        if (record.sessionId() == null) return;
        long now = ctx.timerService().currentProcessingTime();
        silenceClock.input(now);
        String current = session.value();
        if (record.isEndOfSession()) {
            if (record.sessionId().equals(current)) {
                out.collect(LifecycleDecision.ended(record.streamId(), current, now, "unpublish"));
                clear(ctx);
            }
            return;
        }
        if (current != null && !current.equals(record.sessionId())) {
            // a new session went live (the registry ended the old one when it started): forget the old
            clear(ctx);
        } else if (Boolean.TRUE.equals(reconnecting.value())) {
            out.collect(LifecycleDecision.resumed(record.streamId(), current, now));
            reconnecting.clear();
        }
        session.update(record.sessionId());
        lastMediaMs.update(now);
        if (timerAt.value() == null) schedule(ctx, now + silenceMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LifecycleDecision> out) throws Exception {
        Long scheduled = timerAt.value();
        if (scheduled == null || scheduled != timestamp) return;
        timerAt.clear();
        String current = session.value();
        long last = lastMediaMs.value();
        // after a restore the timers fire at once, before the backlog that may show the publisher still live has
        // been read: silence counts from this instance's first input at the earliest
        long silent = timestamp - Math.max(last, silenceClock.countsFrom(ctx.timerService().currentProcessingTime()));
        if (silent >= graceMs) {
            out.collect(LifecycleDecision.ended(ctx.getCurrentKey(), current, last, "disconnect"));
            clear(ctx);
        } else if (silent >= silenceMs) {
            if (!Boolean.TRUE.equals(reconnecting.value())) {
                out.collect(LifecycleDecision.reconnecting(ctx.getCurrentKey(), current, last));
                reconnecting.update(true);
            }
            schedule(ctx, timestamp - silent + graceMs);
        } else {
            // one timer per stream, moved forward lazily instead of re-registered for every packet
            schedule(ctx, timestamp - silent + silenceMs);
        }
    }

    private void schedule(Context ctx, long at) throws Exception {
        timerAt.update(at);
        ctx.timerService().registerProcessingTimeTimer(at);
    }

    private void clear(Context ctx) throws Exception {
        Long scheduled = timerAt.value();
        if (scheduled != null) ctx.timerService().deleteProcessingTimeTimer(scheduled);
        session.clear();
        lastMediaMs.clear();
        reconnecting.clear();
        timerAt.clear();
    }
}
