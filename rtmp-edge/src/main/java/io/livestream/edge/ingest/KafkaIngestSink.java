package io.livestream.edge.ingest;

import io.livestream.common.ingest.IngestProducerRecords;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces ingest records to {@code live.ingest}, keyed by stream id so a stream's tags stay in order. */
public final class KafkaIngestSink implements IngestSink {
    private final Producer<byte[], byte[]> producer;

    public KafkaIngestSink(String bootstrapServers) {
        this(new KafkaProducer<>(producerConfig(bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    public KafkaIngestSink(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /**
     * How long a partition's batch waits for more tags. Every new batch wakes the producer's I/O thread and every drain
     * is a produce request the broker answers after replication (acks=all). At 50 publishers, 5 ms -> 20 ms took the
     * broker from ~9.5 to ~7 CPU s per 30 s and the producer's thread from 22 to 18 % of the edge's (BENCHMARKS.md).
     * 20 ms adds at most 15 ms before a tag is stored, against a segment availability of ~65 ms median and LL-HLS
     * parts of 250 ms; a keyframe that fills a batch goes at once.
     */
    static final int LINGER_MS = 20;

    /**
     * Keyframes are large (max.request.size matches the topic's 16 MiB); acks=all with idempotence so a retry neither
     * loses nor duplicates a tag. The buffer outsizes the per-publisher caps, and max.block.ms stays short because
     * send() runs on a Netty event loop.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MEDIA_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, Topics.MEDIA_PRODUCER_BATCH_BYTES);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        // H.264 and AAC are compressed already: compressing them again costs CPU and saves nothing
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "rtmp-edge");
        config.putAll(Topics.MEDIA_CLIENT_BACKOFF);
        return config;
    }

    @Override
    public CompletionStage<Void> send(IngestRecord record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        produce(IngestRecordCodec.toProducerRecord(record), (payloadBytes, error) -> {
            if (error == null) done.complete(null);
            else done.completeExceptionally(error);
        });
        return done;
    }

    /** The publish's key and its unchanging header values are encoded once (IngestProducerRecords), not per tag. */
    @Override
    public Publish publish(String streamId, String sessionId) {
        IngestProducerRecords records = new IngestProducerRecords(streamId, sessionId);
        return (record, done) -> produce(records.toProducerRecord(record), done);
    }

    private void produce(ProducerRecord<byte[], byte[]> producerRecord, Completion done) {
        int payloadBytes = producerRecord.value().length; // the callback keeps the size, not the record
        try {
            producer.send(producerRecord, (metadata, error) -> done.completed(payloadBytes, error));
        } catch (RuntimeException e) {
            done.completed(payloadBytes, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
