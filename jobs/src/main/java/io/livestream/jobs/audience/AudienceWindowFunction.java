package io.livestream.jobs.audience;

import io.livestream.common.audience.ViewerCount;
import java.util.TreeMap;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a window's distinct-viewer accumulator into a {@link ViewerCount}. */
public final class AudienceWindowFunction extends ProcessWindowFunction<AudienceAccumulator, ViewerCount, String, TimeWindow> {
    @Override
    public void process(String streamId, Context ctx, Iterable<AudienceAccumulator> results, Collector<ViewerCount> out) {
        AudienceAccumulator acc = results.iterator().next();
        TreeMap<String, Long> byRendition = new TreeMap<>();
        acc.byRendition.forEach((r, c) -> byRendition.put(r, c.count()));
        TimeWindow w = ctx.window();
        out.collect(ViewerCount.of(streamId, w.getStart(), w.getEnd(), acc.total.count(), acc.total.isExact(), byRendition));
    }
}
