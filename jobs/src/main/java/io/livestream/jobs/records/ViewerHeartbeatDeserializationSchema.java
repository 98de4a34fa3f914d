package io.livestream.jobs.records;

import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.json.Json;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** live.viewer-heartbeats JSON; malformed or incomplete heartbeats are skipped (players are not trusted). */
public final class ViewerHeartbeatDeserializationSchema implements KafkaRecordDeserializationSchema<ViewerHeartbeat> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ViewerHeartbeat> out) {
        if (record.value() == null) return;
        try {
            ViewerHeartbeat beat = Json.fromBytes(record.value(), ViewerHeartbeat.class);
            if (beat.streamId() != null && beat.viewerId() != null && beat.at() > 0) out.collect(beat);
        } catch (RuntimeException e) {
            // skip: one bad heartbeat must not stop the count
        }
    }

    @Override
    public TypeInformation<ViewerHeartbeat> getProducedType() {
        return TypeInformation.of(ViewerHeartbeat.class);
    }
}
