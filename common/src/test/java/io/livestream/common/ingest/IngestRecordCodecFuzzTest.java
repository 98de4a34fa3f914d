package io.livestream.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import java.util.Optional;

/**
 * A {@code live.ingest} record with any key, value and headers (known names with any bytes, null values, unknown
 * names) decodes or is refused with IllegalArgumentException; what decodes survives an encode and decode unchanged.
 */
class IngestRecordCodecFuzzTest {
    private static final String[] NAMES = {
            IngestRecordCodec.H_TYPE, IngestRecordCodec.H_SESSION, IngestRecordCodec.H_DTS, IngestRecordCodec.H_CTS,
            IngestRecordCodec.H_KEYFRAME, IngestRecordCodec.H_SEQUENCE_HEADER, IngestRecordCodec.H_CODEC, "other"};

    @FuzzTest(maxDuration = "3s")
    void anyRecordDecodesOrIsRefusedCleanly(FuzzedDataProvider data) {
        ConsumerRecord<byte[], byte[]> record = fuzzedRecord(data, NAMES);
        IngestRecord decoded;
        try {
            decoded = IngestRecordCodec.fromConsumerRecord(record);
        } catch (IllegalArgumentException e) {
            return;
        }
        ProducerRecord<byte[], byte[]> encoded = IngestRecordCodec.toProducerRecord(decoded);
        IngestRecord again = IngestRecordCodec.fromConsumerRecord(consumed(encoded.key(), encoded.value(), (RecordHeaders) encoded.headers()));
        assertThat(again).usingRecursiveComparison().isEqualTo(decoded);
    }

    /** Up to 12 headers, each a known name (or another) with 0-12 bytes or a null value; key and value may be null. */
    static ConsumerRecord<byte[], byte[]> fuzzedRecord(FuzzedDataProvider data, String[] names) {
        RecordHeaders headers = new RecordHeaders();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            String name = data.pickValue(names);
            headers.add(name, data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 12)));
        }
        byte[] key = data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 16));
        byte[] value = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();
        return consumed(key, value, headers);
    }

    static ConsumerRecord<byte[], byte[]> consumed(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("t", 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
    }
}
