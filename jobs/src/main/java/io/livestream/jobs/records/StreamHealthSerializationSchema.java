package io.livestream.jobs.records;

import io.livestream.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link StreamHealth} as JSON, keyed by stream id. */
public class StreamHealthSerializationSchema implements KafkaRecordSerializationSchema<StreamHealth> {
    private final String topic;

    public StreamHealthSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(StreamHealth health, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, health.at(), health.streamId().getBytes(StandardCharsets.UTF_8), Json.toBytes(health));
    }
}
