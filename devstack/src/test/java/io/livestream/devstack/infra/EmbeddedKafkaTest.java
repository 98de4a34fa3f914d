package io.livestream.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.kafka.TopicBootstrap;
import io.livestream.common.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker of its own (not SharedInfra), because it is stopped and restarted on the same directory. */
class EmbeddedKafkaTest {
    private static final int TEN_MIB = 10 * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void largeRecordSurvivesARestartOnTheSameDirectory() throws Exception {
        byte[] payload = new byte[TEN_MIB];
        new Random(42).nextBytes(payload);
        RecordMetadata written;

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            assertThat(TopicBootstrap.ensureTopics(kafka.bootstrapServers(), 1, Duration.ofSeconds(30)))
                    .contains(Topics.MEDIA, Topics.INGEST);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(kafka.bootstrapServers()))) {
                written = producer.send(new ProducerRecord<>(Topics.MEDIA, "stream-1", payload)).get();
            }
            assertThat(readAll(kafka.bootstrapServers(), written.partition())).singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(payload));
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            // topics were kept: nothing to create on the second start
            assertThat(TopicBootstrap.ensureTopics(kafka.bootstrapServers(), 1, Duration.ofSeconds(30))).isEmpty();
            List<ConsumerRecord<String, byte[]>> records = readAll(kafka.bootstrapServers(), written.partition());
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("stream-1");
                assertThat(r.offset()).isEqualTo(written.offset());
                assertThat(r.value()).isEqualTo(payload);
            });
        }
    }

    @Test
    void aSecondBrokerOnADirectoryInUseFailsWithoutEndingTheJvm() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            assertThat(FreePorts.isListening("127.0.0.1", kafka.port(), 1000)).isTrue();
        }
    }

    private static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MEDIA_MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, int partition) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MEDIA_MAX_MESSAGE_BYTES,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        TopicPartition tp = new TopicPartition(Topics.MEDIA, partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
