package io.livestream.devstack.cluster.failover;

import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import io.livestream.devstack.TopicTails;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a fault's stall went before the origins: a consumer of live.media, as an origin reads it, notes for each
 * segment of the watched rendition when its media reached the edge (the record's timestamp: the job's sink carries the
 * ingest record's on) and when it could be read. The longest gap in media time between consecutive segments says how
 * much media went missing (skipped or lost GOPs: 1 s when none), the longest wait between deliveries how long the
 * origins had nothing new to read; a playlist stall longer than that was after Kafka (the origins, the cache).
 */
final class StageGaps implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] key;
    private final String rendition;
    private final List<long[]> segments = new CopyOnWriteArrayList<>(); // {ingestedMs, deliveredMs}
    private final Thread thread;
    private final long startedMs = System.currentTimeMillis();
    private volatile boolean running = true;

    StageGaps(String bootstrap, String streamId, String rendition) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.putAll(Topics.MEDIA_CLIENT_BACKOFF); // as the origins' consumers
        this.consumer = new KafkaConsumer<>(p);
        this.key = streamId.getBytes(StandardCharsets.UTF_8);
        this.rendition = rendition;
        TopicTails.assignAtEnd(consumer, Topics.MEDIA, Duration.ofSeconds(10));
        thread = new Thread(this::run, "stage-gaps");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!Arrays.equals(r.key(), key)) continue;
                    MediaRecord m = MediaRecordCodec.fromConsumerRecord(r);
                    if (m.type() == MediaRecord.Type.SEGMENT && m.rendition().equals(rendition) && m.container() == MediaRecord.Container.TS) {
                        segments.add(new long[] {r.timestamp(), System.currentTimeMillis()});
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) segments.add(new long[] {-1, -1});
        } finally {
            consumer.close();
        }
    }

    /** After {@code faultMs}: {@code mediaGapMs}, the longest gap in media (edge) time, {@code deliveredGapMs}, the longest wait between deliveries. */
    Map<String, Object> after(long faultMs) {
        List<long[]> all = new ArrayList<>(segments);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mediaGapMs", longestGap(all, 0, faultMs));
        out.put("deliveredGapMs", longestGap(all, 1, faultMs));
        return out;
    }

    private long longestGap(List<long[]> all, int field, long faultMs) {
        List<Long> times = new ArrayList<>();
        for (long[] s : all) times.add(s[field]);
        times.sort(Long::compare);
        long previous = Math.max(startedMs, times.stream().filter(t -> t < faultMs).reduce((a, b) -> b).orElse(faultMs));
        long worst = 0;
        for (long t : times) {
            if (t < faultMs) continue;
            worst = Math.max(worst, t - previous);
            previous = t;
        }
        return worst;
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
