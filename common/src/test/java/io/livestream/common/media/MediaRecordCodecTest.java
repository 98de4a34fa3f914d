package io.livestream.common.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.kafka.Headers;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MediaRecordCodecTest {
    private static MediaRecord part() {
        return new MediaRecord("s1", "sess", "720p", MediaRecord.Type.PART, 7, 2, 0.333, 1000, false, false, null, 0, 0, 0, 0, 5, new byte[] {1, 2});
    }

    @Test
    void theContainerTravelsInAHeader() {
        MediaRecord fmp4 = part().in(MediaRecord.Container.FMP4, new byte[] {3});
        ProducerRecord<byte[], byte[]> encoded = MediaRecordCodec.toProducerRecord(fmp4);
        assertThat(Headers.getString(encoded.headers(), "container")).isEqualTo("fmp4");
        MediaRecord decoded = MediaRecordCodec.fromParts(encoded.key(), encoded.value(), encoded.headers());
        assertThat(decoded.container()).isEqualTo(MediaRecord.Container.FMP4);
        assertThat(decoded.payload()).containsExactly(3);
        assertThat(decoded.sequence()).isEqualTo(7);
    }

    @Test
    void aRecordWithoutTheHeaderIsMpegTsAsOlderTranscodersWroteThem() {
        ProducerRecord<byte[], byte[]> encoded = MediaRecordCodec.toProducerRecord(part());
        RecordHeaders old = new RecordHeaders();
        encoded.headers().forEach(h -> { if (!h.key().equals("container")) old.add(h); });
        assertThat(MediaRecordCodec.fromParts(encoded.key(), encoded.value(), old).container()).isEqualTo(MediaRecord.Container.TS);
        old.add("container", "webm".getBytes());
        assertThatThrownBy(() -> MediaRecordCodec.fromParts(encoded.key(), encoded.value(), old)).isInstanceOf(IllegalArgumentException.class);
    }
}
