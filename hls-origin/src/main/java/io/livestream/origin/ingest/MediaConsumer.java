package io.livestream.origin.ingest;

import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecordCodec;
import io.livestream.common.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code live.media} on its own thread and hands every decoded record to a {@link MediaRecordListener}.
 * Each origin instance reads every partition and commits nothing: on (re)start it rewinds by a look-back period
 * instead (see {@link LookbackSeek}). The partitions are assigned, not subscribed to through a consumer group: a
 * SIGKILLed origin's member stayed in its group for the session timeout (45 s), and the restarted one got no
 * partition until then; nor does reading depend on a group coordinator, which a broker's death moves.
 */
public final class MediaConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** How often the topic's partitions are listed again, to read partitions added to it. */
    static final long PARTITION_CHECK_MS = 30_000;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final MediaRecordListener listener;
    private final Duration lookback;
    private final Clock clock;
    private final Runnable onCaughtUp;
    private final LookbackCatchUp catchUp = new LookbackCatchUp();
    /** While catching up: the producer timestamp of the newest record read, per partition. */
    private final Map<TopicPartition, Long> newestRead = new HashMap<>();
    /** A partition whose newest record read is this recent is at the live edge, though more keep arriving. */
    static final long FRESH_MS = 2_000;
    private long startedAtMs;
    private long partitionsCheckedAtMs;
    private boolean partitionsListed;
    private final LookbackSeek lookbackSeek;
    private Thread thread;
    private volatile boolean running;
    private long badRecords;

    public MediaConsumer(Consumer<byte[], byte[]> consumer, String topic, MediaRecordListener listener, Duration lookback, Clock clock) {
        this(consumer, topic, listener, lookback, clock, () -> {});
    }

    /** @param onCaughtUp called once, on the polling thread, when the look-back has been read up to the live edge */
    public MediaConsumer(Consumer<byte[], byte[]> consumer, String topic, MediaRecordListener listener, Duration lookback, Clock clock,
                         Runnable onCaughtUp) {
        this.consumer = consumer;
        this.topic = topic;
        this.listener = listener;
        this.lookback = lookback;
        this.clock = clock;
        this.onCaughtUp = onCaughtUp;
        this.lookbackSeek = new LookbackSeek(consumer, lookback, clock, catchUp);
    }

    /** A consumer of {@code live.media} for {@code bootstrapServers} in the group {@code groupId}. */
    public static MediaConsumer create(String bootstrapServers, String groupId, MediaRecordListener listener, Duration lookback) {
        return create(bootstrapServers, groupId, listener, lookback, () -> {});
    }

    /** @param onCaughtUp called once when the look-back has been read up to the live edge */
    public static MediaConsumer create(String bootstrapServers, String groupId, MediaRecordListener listener, Duration lookback,
                                       Runnable onCaughtUp) {
        return new MediaConsumer(new KafkaConsumer<>(properties(bootstrapServers, groupId)), Topics.MEDIA, listener, lookback, Clock.SYSTEM,
                onCaughtUp);
    }

    public static Properties properties(String bootstrapServers, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Whole segments are single records: let one fetch carry the largest the topic accepts.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(4 * Topics.MEDIA_MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.putAll(Topics.MEDIA_CLIENT_BACKOFF);
        return p;
    }

    /** Whether the polling thread is up (the origin's readiness reports Kafka down otherwise). */
    public boolean isRunning() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /** Starts the polling thread, which assigns itself the topic's partitions. */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        startedAtMs = clock.millis();
        running = true;
        thread = new Thread(this::run, "media-consumer-" + topic);
        thread.setDaemon(true);
        thread.start();
        LOG.info("consuming {} with a look-back of {}", topic, lookback);
    }

    private void run() {
        try {
            while (running) pollOnce(POLL_TIMEOUT);
        } catch (WakeupException e) {
            if (running) LOG.error("consumer of {} woken unexpectedly", topic, e);
        } catch (RuntimeException e) {
            LOG.error("consumer of {} failed", topic, e);
        } finally {
            consumer.close();
            LOG.info("stopped consuming {} ({} records skipped)", topic, badRecords);
        }
    }

    /**
     * Assigns the topic's partitions not yet assigned, positioned by the look-back; lists them at the first call,
     * then every {@link #PARTITION_CHECK_MS}. Returns whether any partition is assigned.
     */
    boolean assignPartitions() {
        long now = clock.millis();
        if (partitionsListed && now - partitionsCheckedAtMs < PARTITION_CHECK_MS) return !consumer.assignment().isEmpty();
        partitionsListed = true;
        partitionsCheckedAtMs = now;
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.RetriableException e) {
            infos = List.of(); // brokers unreachable: keep reading what is assigned, list again soon
        }
        Set<TopicPartition> all = new HashSet<>(consumer.assignment());
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
            TopicPartition tp = new TopicPartition(topic, info.partition());
            if (all.add(tp)) added.add(tp);
        }
        if (!added.isEmpty()) {
            consumer.assign(all);
            lookbackSeek.apply(added);
            LOG.info("reading {} partition(s) of {} ({} new)", all.size(), topic, added.size());
        }
        if (all.isEmpty()) partitionsCheckedAtMs = now - PARTITION_CHECK_MS + 1_000; // no topic yet: ask again in a second
        return !all.isEmpty();
    }

    /** One poll: each record is decoded and handed on; a record that fails is counted and skipped, never fatal. */
    int pollOnce(Duration timeout) {
        if (!assignPartitions()) {
            sleepQuietly(timeout);
            return 0;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!catchUp.caughtUp()) newestRead.put(new TopicPartition(record.topic(), record.partition()), record.timestamp());
            try {
                listener.onMediaRecord(MediaRecordCodec.fromConsumerRecord(record));
            } catch (RuntimeException e) {
                if (badRecords++ == 0) {
                    LOG.warn("skipping record {}-{}@{} (further failures only counted)", record.topic(), record.partition(), record.offset(), e);
                }
            }
        }
        if (catchUp.targetsReachedBy(this::positionOrDone)
                && catchUp.confirm(consumer.endOffsets(consumer.assignment()), this::positionOrDone, this::freshlyRead)) {
            LOG.info("read the look-back of {} up to the live edge in {} ms: serving live", topic, clock.millis() - startedAtMs);
            onCaughtUp.run();
        }
        return records.count();
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the newest record read from the partition was produced within {@link #FRESH_MS}. */
    private boolean freshlyRead(TopicPartition partition) {
        Long produced = newestRead.get(partition);
        return produced != null && clock.millis() - produced <= FRESH_MS;
    }

    /** A partition no longer assigned has nothing left to wait for. */
    private long positionOrDone(TopicPartition partition) {
        try {
            return consumer.position(partition);
        } catch (IllegalStateException notAssigned) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            running = false;
        }
        if (t == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
