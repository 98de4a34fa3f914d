package io.livestream.devstack;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Kafka consumers that read a topic from its current end beside the platform's own readers (benchmark taps, probes). */
public final class TopicTails {
    /**
     * Assigns {@code consumer} every partition of {@code topic} and fixes its position at their current ends, so it
     * reads only what is sent after this returns.
     */
    public static void assignAtEnd(Consumer<?, ?> consumer, String topic, Duration metadataTimeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, metadataTimeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    private TopicTails() {}
}
