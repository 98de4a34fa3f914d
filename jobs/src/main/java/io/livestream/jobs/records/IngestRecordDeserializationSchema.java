package io.livestream.jobs.records;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads {@code live.ingest} records (key = stream id, value = FLV tag body, facts in headers). */
public class IngestRecordDeserializationSchema implements KafkaRecordDeserializationSchema<IngestRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        if (record.key() == null) return; // not from the edge: nothing to key it by
        out.collect(IngestRecordCodec.fromConsumerRecord(record));
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return TypeInformation.of(IngestRecord.class);
    }
}
