package io.livestream.common.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A {@code live.media} record with any key, value and headers decodes or is refused with IllegalArgumentException;
 * what decodes survives an encode and decode unchanged (durations and rates are kept in integer µs and milli-fps).
 */
class MediaRecordCodecFuzzTest {
    private static final String[] NAMES = {"session", "rendition", "type", "sequence", "part", "duration-us", "pts",
            "independent", "discontinuity", "codecs", "width", "height", "frame-rate-milli", "bandwidth", "wallclock", "container", "other"};

    @FuzzTest(maxDuration = "3s")
    void anyRecordDecodesOrIsRefusedCleanly(FuzzedDataProvider data) {
        RecordHeaders headers = new RecordHeaders();
        int count = data.consumeInt(0, 20);
        for (int i = 0; i < count; i++) {
            String name = data.pickValue(NAMES);
            // the type header mostly names a real type, so the fuzzer gets past it
            byte[] value = name.equals("type") && data.consumeBoolean()
                    ? data.pickValue(new String[] {"init", "part", "segment", "end"}).getBytes()
                    : name.equals("container") && data.consumeBoolean() ? data.pickValue(new String[] {"ts", "fmp4"}).getBytes()
                    : data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 12));
            headers.add(name, value);
        }
        byte[] key = data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 16));
        byte[] value = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();

        MediaRecord decoded;
        try {
            decoded = MediaRecordCodec.fromConsumerRecord(consumed(key, value, headers));
        } catch (IllegalArgumentException e) {
            return;
        }
        ProducerRecord<byte[], byte[]> encoded = MediaRecordCodec.toProducerRecord(decoded);
        MediaRecord again = MediaRecordCodec.fromConsumerRecord(consumed(encoded.key(), encoded.value(), (RecordHeaders) encoded.headers()));
        assertThat(again).usingRecursiveComparison().isEqualTo(decoded);
    }

    private static ConsumerRecord<byte[], byte[]> consumed(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("t", 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
    }
}
