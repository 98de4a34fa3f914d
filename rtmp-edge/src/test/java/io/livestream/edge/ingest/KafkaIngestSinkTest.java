package io.livestream.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaIngestSinkTest {
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final KafkaIngestSink sink = new KafkaIngestSink(producer);

    @Test
    void producesToLiveIngestKeyedByStreamAndCompletesOnAck() {
        IngestRecord record = new IngestRecord("s1", "sess", IngestRecord.Kind.VIDEO, 1234, 40, true, false, "avc1", new byte[] {0x17, 1});
        CompletableFuture<Void> done = sink.send(record).toCompletableFuture();
        assertThat(done).isNotDone();
        producer.completeNext();
        assertThat(done).isCompleted();

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(Topics.INGEST);
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
        IngestRecord back = IngestRecordCodec.fromConsumerRecord(new ConsumerRecord<>(sent.topic(), 0, 0, 0L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(), sent.headers(),
                java.util.Optional.empty()));
        assertThat(back).usingRecursiveComparison().isEqualTo(record);
    }

    @Test
    void aFailedSendCompletesExceptionally() {
        CompletableFuture<Void> done = sink.send(new IngestRecord("s1", "x", IngestRecord.Kind.AUDIO, 0, 0, true, false, "mp4a", new byte[2]))
                .toCompletableFuture();
        producer.errorNext(new RuntimeException("broker down"));
        assertThat(done).isCompletedExceptionally();
    }

    @Test
    void aPublishProducesTheSameRecordsAndTellsItsCompletionEachPayloadSize() {
        IngestSink.Publish publish = sink.publish("s1", "sess");
        List<String> completions = new ArrayList<>();
        IngestSink.Completion done = (bytes, error) -> completions.add(bytes + (error == null ? " stored" : " failed: " + error.getMessage()));
        IngestRecord first = new IngestRecord("s1", "sess", IngestRecord.Kind.VIDEO, 1234, 40, true, false, "avc1", new byte[] {0x17, 1});
        IngestRecord second = new IngestRecord("s1", "sess", IngestRecord.Kind.VIDEO, 1267, 0, false, false, "avc1", new byte[] {0x27, 1, 0});
        publish.send(first, done);
        publish.send(second, done);
        assertThat(completions).isEmpty();
        producer.completeNext();
        producer.errorNext(new RuntimeException("broker down"));
        assertThat(completions).containsExactly("2 stored", "3 failed: broker down");

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.key()).isEqualTo(IngestRecordCodec.toProducerRecord(first).key());
        assertThat(sent.headers().toArray()).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(IngestRecordCodec.toProducerRecord(first).headers().toArray());
    }

    @Test
    void producerConfigAsTheTopicNeeds() {
        var config = KafkaIngestSink.producerConfig("k:9092");
        assertThat(config).containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
                // a batch holds many frames, yet each batch takes a whole batch.size buffer from the pool for good
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                // a broker's death: the new leader is learned within 200 ms of the move, not up to a second
                .containsEntry(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200")
                .containsEntry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    }
}
