package io.livestream.jobs.audience;

import io.livestream.common.audience.ViewerCount;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes window counts through and adds the one a window operator never emits: when the last viewer has gone,
 * no window has any heartbeat, so nothing would say "0". An event-time timer at the next window's end emits a zero
 * count unless that window arrived; then the stream's state is cleared.
 */
public final class AudienceZeroFunction extends KeyedProcessFunction<String, ViewerCount, ViewerCount> {
    private final long sizeMs;
    private final long slideMs;
    private transient ValueState<Long> lastWindowEnd;

    public AudienceZeroFunction(long sizeMs, long slideMs) {
        this.sizeMs = sizeMs;
        this.slideMs = slideMs;
    }

    @Override
    public void open(OpenContext openContext) {
        lastWindowEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-end", Types.LONG));
    }

    @Override
    public void processElement(ViewerCount count, Context ctx, Collector<ViewerCount> out) throws Exception {
        out.collect(count);
        Long last = lastWindowEnd.value();
        if (last == null || count.windowEnd() > last) {
            lastWindowEnd.update(count.windowEnd());
            ctx.timerService().registerEventTimeTimer(count.windowEnd() + slideMs - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ViewerCount> out) throws Exception {
        Long last = lastWindowEnd.value();
        long nextEnd = timestamp + 1;
        if (last == null || last >= nextEnd) return; // the next window came: its own timer decides
        out.collect(ViewerCount.of(ctx.getCurrentKey(), nextEnd - sizeMs, nextEnd, 0, true, Map.of()));
        lastWindowEnd.clear();
    }
}
