package io.livestream.jobs.health;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.records.StreamHealth;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per stream, 5 s tumbling windows on the stream's own timeline (the RTMP timestamps of its records) -> one
 * {@link StreamHealth} each.
 *
 * <p>Why the record timestamps and not Flink watermarks or processing time: every stream (and every session) has its
 * own timestamp origin, and one Kafka partition carries many streams, so a partition-wide watermark would make one
 * stream's records late for another; processing time would measure Kafka and job lag, not the encoder (a backlog
 * replayed in a burst would look like a bitrate spike). A window closes when a record of the stream lies past it; a
 * processing-time timer closes the last one (marked partial) when the stream goes silent, and clears the state.
 */
public class HealthFunction extends KeyedProcessFunction<String, IngestRecord, StreamHealth> {
    /** A stream with no record for this long has stopped: its open window is closed and its state dropped. */
    public static final long DEFAULT_SILENCE_MS = 6_000;

    private final HealthThresholds thresholds;
    private final long silenceMs;
    private transient ValueState<HealthWindow> window;
    private transient ValueState<Long> lastSeen;

    public HealthFunction(HealthThresholds thresholds, long silenceMs) {
        this.thresholds = thresholds;
        this.silenceMs = silenceMs;
    }

    public HealthFunction() {
        this(HealthThresholds.DEFAULTS, DEFAULT_SILENCE_MS);
    }

    @Override
    public void open(OpenContext openContext) {
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("health-window", TypeInformation.of(HealthWindow.class)));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("health-last-seen", Long.class));
    }

    @Override
    public void processElement(IngestRecord r, Context ctx, Collector<StreamHealth> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (r.isEndOfSession()) {
            endOfSession(r, now, ctx, out);
            return;
        }
        if (r.kind() == IngestRecord.Kind.DATA || r.sequenceHeader()) return;
        HealthWindow w = window.value();
        if (w != null && !Objects.equals(w.sessionId, r.sessionId())) {
            if (w.isOpen()) out.collect(w.close(r.streamId(), w.dataEnd(), true, now, thresholds));
            w = null; // a new session: its own timeline, nothing carries over
        }
        if (w == null) {
            w = new HealthWindow();
            w.sessionId = r.sessionId();
        }
        if (w.isBeyond(r)) out.collect(w.close(r.streamId(), w.windowStart + HealthWindow.WINDOW_MS, false, now, thresholds));
        w.add(r);
        window.update(w);
        if (lastSeen.value() == null) ctx.timerService().registerProcessingTimeTimer(now + silenceMs);
        lastSeen.update(now);
    }

    /** The publisher stopped: its last window is closed (partial) now, not after the silence. */
    private void endOfSession(IngestRecord r, long now, Context ctx, Collector<StreamHealth> out) throws Exception {
        HealthWindow w = window.value();
        if (w == null || !Objects.equals(w.sessionId, r.sessionId())) return;
        if (w.isOpen()) out.collect(w.close(r.streamId(), w.dataEnd(), true, now, thresholds));
        window.clear();
        lastSeen.clear(); // the pending timer finds nothing and does nothing
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StreamHealth> out) throws Exception {
        Long seen = lastSeen.value();
        if (seen == null) return;
        if (timestamp - seen < silenceMs) {
            ctx.timerService().registerProcessingTimeTimer(seen + silenceMs);
            return;
        }
        HealthWindow w = window.value();
        if (w != null && w.isOpen()) {
            out.collect(w.close(ctx.getCurrentKey(), w.dataEnd(), true, timestamp, thresholds));
        }
        window.clear();
        lastSeen.clear();
    }
}
