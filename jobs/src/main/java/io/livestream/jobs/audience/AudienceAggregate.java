package io.livestream.jobs.audience;

import io.livestream.common.audience.ViewerHeartbeat;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Heartbeats of a window into distinct viewers; the accumulator is the result, the window function names it. */
public final class AudienceAggregate implements AggregateFunction<ViewerHeartbeat, AudienceAccumulator, AudienceAccumulator> {
    @Override public AudienceAccumulator createAccumulator() { return new AudienceAccumulator(); }

    @Override
    public AudienceAccumulator add(ViewerHeartbeat beat, AudienceAccumulator acc) {
        acc.add(beat.viewerId(), beat.rendition());
        return acc;
    }

    @Override public AudienceAccumulator getResult(AudienceAccumulator acc) { return acc; }

    @Override public AudienceAccumulator merge(AudienceAccumulator a, AudienceAccumulator b) { return a.merge(b); }
}
