package io.livestream.origin.ingest;

import io.livestream.common.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Seeks each newly assigned partition to its first record of the last {@code lookback}, so a (re)started origin
 * rebuilds its live windows from Kafka instead of waiting for new segments. Partitions with nothing that recent start
 * at their end. The partitions' end offsets at that moment are what {@link LookbackCatchUp} waits for.
 */
final class LookbackSeek {
    private final Consumer<?, ?> consumer;
    private final Duration lookback;
    private final Clock clock;
    private final LookbackCatchUp catchUp;

    LookbackSeek(Consumer<?, ?> consumer, Duration lookback, Clock clock) {
        this(consumer, lookback, clock, new LookbackCatchUp());
    }

    LookbackSeek(Consumer<?, ?> consumer, Duration lookback, Clock clock, LookbackCatchUp catchUp) {
        this.consumer = consumer;
        this.lookback = lookback;
        this.clock = clock;
        this.catchUp = catchUp;
    }

    /** Positions {@code partitions}, just assigned. */
    void apply(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) return;
        long since = clock.millis() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : partitions) query.put(tp, since);
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            if (at != null) consumer.seek(tp, at.offset());
            else consumer.seekToEnd(List.of(tp));
        }
        catchUp.expect(consumer.endOffsets(partitions));
    }
}
