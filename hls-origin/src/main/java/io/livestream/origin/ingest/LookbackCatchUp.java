package io.livestream.origin.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a starting origin has read its look-back: the end offsets of its partitions when they were assigned are
 * the first targets. Reaching them is not yet the live edge (minutes of look-back take a while to read, and live
 * media kept arriving meanwhile), so the ends are asked again: a partition is current when its position reached its
 * latest end or the last record read from it is fresh. Until every partition is current the windows are the past,
 * which must not be served as the live edge. Single-threaded: the consumer's.
 */
final class LookbackCatchUp {
    private final Map<TopicPartition, Long> pending = new HashMap<>();
    private boolean assigned;
    private boolean caughtUp;

    /** An assignment: read up to these offsets (the partitions' ends at that moment). */
    void expect(Map<TopicPartition, Long> endOffsets) {
        assigned = true;
        if (caughtUp) return; // a partition added later to a running origin: it keeps serving
        pending.putAll(endOffsets);
    }

    /** Whether the targets so far are reached (then ask for the latest ends and {@link #confirm}). */
    boolean targetsReachedBy(ToLongFunction<TopicPartition> position) {
        if (caughtUp || !assigned) return false;
        pending.entrySet().removeIf(e -> position.applyAsLong(e.getKey()) >= e.getValue());
        return pending.isEmpty();
    }

    /**
     * With the partitions' latest end offsets: true (once) when every partition is current, else those that are not
     * become the next targets.
     *
     * @param freshlyRead whether the newest record read from a partition was produced moments ago (a busy partition
     *     is never quite at its end: records keep arriving)
     */
    boolean confirm(Map<TopicPartition, Long> latestEnds, ToLongFunction<TopicPartition> position, Predicate<TopicPartition> freshlyRead) {
        if (caughtUp || !pending.isEmpty()) return false;
        latestEnds.forEach((partition, end) -> {
            if (position.applyAsLong(partition) < end && !freshlyRead.test(partition)) pending.put(partition, end);
        });
        if (!pending.isEmpty()) return false;
        caughtUp = true;
        return true;
    }

    boolean caughtUp() {
        return caughtUp;
    }
}
