package io.livestream.common.ingest;

import io.livestream.common.kafka.Headers;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Maps {@link IngestRecord} to and from a {@code live.ingest} Kafka record (key = stream id, value = FLV tag body). */
public final class IngestRecordCodec {
    public static final String H_TYPE = "type";
    public static final String H_SESSION = "session";
    public static final String H_DTS = "dts";
    public static final String H_CTS = "cts";
    public static final String H_KEYFRAME = "keyframe";
    public static final String H_SEQUENCE_HEADER = "seqhdr";
    public static final String H_CODEC = "codec";

    /** One record on its own; an edge producing a publish's records keeps one {@link IngestProducerRecords} instead. */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(IngestRecord r) {
        return new IngestProducerRecords(r.streamId(), r.sessionId()).toProducerRecord(r);
    }

    /** @throws IllegalArgumentException for a record without a key or with an unknown type */
    public static IngestRecord fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) throw new IllegalArgumentException("ingest record without a key (the stream id)");
        var h = record.headers();
        String type = Headers.getString(h, H_TYPE);
        return new IngestRecord(
                new String(record.key(), StandardCharsets.UTF_8),
                Headers.getString(h, H_SESSION),
                IngestRecord.Kind.valueOf(type == null ? "DATA" : type.toUpperCase()),
                Headers.getLong(h, H_DTS, 0),
                Headers.getInt(h, H_CTS, 0),
                Headers.getBool(h, H_KEYFRAME),
                Headers.getBool(h, H_SEQUENCE_HEADER),
                Headers.getString(h, H_CODEC),
                record.value() == null ? new byte[0] : record.value());
    }

    private IngestRecordCodec() {}
}
