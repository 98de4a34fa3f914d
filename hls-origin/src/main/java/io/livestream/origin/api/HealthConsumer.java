package io.livestream.origin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code live.stream-health} into a {@link HealthHistory}: every partition, from the history's length back,
 * without a consumer group (each origin keeps the whole, small, picture).
 */
public final class HealthConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthConsumer.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final HealthHistory history;
    private final long lookbackMs;
    private final Thread thread;
    private volatile boolean running = true;

    public HealthConsumer(String bootstrapServers, HealthHistory history, long lookbackMs) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "origin-health-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.history = history;
        this.lookbackMs = lookbackMs;
        this.thread = new Thread(this::run, "origin-health-consumer");
        this.thread.setDaemon(true);
    }

    public HealthConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions == null) return;
            consumer.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            long from = System.currentTimeMillis() - lookbackMs;
            partitions.forEach(tp -> query.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp at = found.get(tp);
                if (at != null) consumer.seek(tp, at.offset());
                else consumer.seekToEnd(List.of(tp));
            }
            LOG.info("reading {} ({} partitions) from {} s back", Topics.STREAM_HEALTH, partitions.size(), lookbackMs / 1000);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        JsonNode window = Json.MAPPER.readTree(record.value());
                        if (window != null) history.add(window);
                    } catch (IOException e) {
                        LOG.debug("skipping unreadable health record at offset {}", record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) LOG.error("health consumer stopped", e);
        } finally {
            consumer.close();
        }
    }

    /** The topic may not exist yet (the health job creates nothing): retry until it does or we close. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(Topics.STREAM_HEALTH, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.debug("{} not available yet: {}", Topics.STREAM_HEALTH, e.toString());
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
