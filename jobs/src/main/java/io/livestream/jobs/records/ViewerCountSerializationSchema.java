package io.livestream.jobs.records;

import io.livestream.common.audience.ViewerCount;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** live.viewer-counts: key = stream id, value = {@link ViewerCount} JSON. */
public final class ViewerCountSerializationSchema implements KafkaRecordSerializationSchema<ViewerCount> {
    private final String topic;

    public ViewerCountSerializationSchema(String topic) {
        this.topic = topic;
    }

    public ViewerCountSerializationSchema() {
        this(Topics.VIEWER_COUNTS);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ViewerCount count, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, count.streamId().getBytes(StandardCharsets.UTF_8), Json.toBytes(count));
    }
}
