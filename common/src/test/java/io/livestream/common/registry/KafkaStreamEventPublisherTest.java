package io.livestream.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaStreamEventPublisherTest {
    @Test
    void publishesJsonToStreamEventsKeyedByStreamId() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        try (KafkaStreamEventPublisher publisher = new KafkaStreamEventPublisher(producer)) {
            publisher.publish(StreamEvent.of(StreamEvent.ENDED, "abc", "s1", 42L, "unpublish"));
        }

        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.STREAM_EVENTS);
            assertThat(record.key()).isEqualTo("abc");
            assertThat(new String(record.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"v\":1,\"type\":\"ended\",\"streamId\":\"abc\",\"sessionId\":\"s1\",\"at\":42,\"reason\":\"unpublish\"}");
            assertThat(Json.fromBytes(record.value(), StreamEvent.class))
                    .isEqualTo(StreamEvent.of(StreamEvent.ENDED, "abc", "s1", 42L, "unpublish"));
        });
        assertThat(producer.closed()).as("a borrowed producer stays open").isFalse();
    }

    @Test
    void createdEventsOmitAbsentFields() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        new KafkaStreamEventPublisher(producer).publish(StreamEvent.of(StreamEvent.CREATED, "abc", null, 7L, null));
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"type\":\"created\",\"streamId\":\"abc\",\"at\":7}");
    }
}
