package io.livestream.origin.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a starting origin has read its look-back: the end offsets of its partitions when they were assigned are
 * the targets, and it has caught up once its position reached every one. Until then its windows are the past (the
 * look-back replays minutes of segments), which it must not serve as the live edge. Single-threaded: the consumer's.
 */
final class LookbackCatchUp {
    private final Map<TopicPartition, Long> pending = new HashMap<>();
    private boolean assigned;
    private boolean caughtUp;

    /** An assignment: read up to these offsets (the partitions' ends at that moment). */
    void expect(Map<TopicPartition, Long> endOffsets) {
        assigned = true;
        if (caughtUp) return; // a later rebalance of a running origin: it keeps serving
        pending.putAll(endOffsets);
    }

    /** True once, when the positions first reach every target. */
    boolean reachedBy(ToLongFunction<TopicPartition> position) {
        if (caughtUp || !assigned) return false;
        pending.entrySet().removeIf(e -> position.applyAsLong(e.getKey()) >= e.getValue());
        if (!pending.isEmpty()) return false;
        caughtUp = true;
        return true;
    }

    boolean caughtUp() {
        return caughtUp;
    }
}
