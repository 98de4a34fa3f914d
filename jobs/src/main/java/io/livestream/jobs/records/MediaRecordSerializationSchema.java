package io.livestream.jobs.records;

import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link MediaRecord}s to a media topic (key = stream id, so a stream stays in order on one partition). */
public class MediaRecordSerializationSchema implements KafkaRecordSerializationSchema<MediaRecord> {
    private final String topic;

    public MediaRecordSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(MediaRecord record, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> r = MediaRecordCodec.toProducerRecord(record);
        return new ProducerRecord<>(topic, null, timestamp, r.key(), r.value(), r.headers());
    }
}
