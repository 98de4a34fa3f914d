package io.livestream.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The cached encoding is the live.ingest format byte for byte: header names, order and values. */
class IngestProducerRecordsTest {
    private final IngestProducerRecords records = new IngestProducerRecords("s1", "sess-1");

    @Test
    void aVideoKeyframeHasTheSevenHeadersOfTheFormat() {
        byte[] body = {0x17, 1, 0, 0, 0x28};
        ProducerRecord<byte[], byte[]> r = records.toProducerRecord(
                new IngestRecord("s1", "sess-1", IngestRecord.Kind.VIDEO, 0x0102030405L, 40, true, false, "avc1", body));
        assertThat(r.topic()).isEqualTo(Topics.INGEST);
        assertThat(r.partition()).isNull();
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
        assertThat(r.value()).isSameAs(body);
        assertThat(headers(r)).containsExactly(
                "type=" + hex("video"),
                "session=" + hex("sess-1"),
                "dts=0000000102030405",
                "cts=00000028",
                "keyframe=01",
                "seqhdr=00",
                "codec=" + hex("avc1"));
    }

    @Test
    void absentStringsHaveNoHeader() {
        IngestProducerRecords noSession = new IngestProducerRecords("s1", null);
        ProducerRecord<byte[], byte[]> end = noSession.toProducerRecord(IngestRecord.endOfSession("s1", null, 7));
        assertThat(headers(end)).containsExactly("type=" + hex("end"), "dts=0000000000000007", "cts=00000000", "keyframe=00", "seqhdr=00");
    }

    @Test
    void eachRecordHasItsOwnTimestampsWhileTheUnchangingValuesAreShared() {
        ProducerRecord<byte[], byte[]> a = records.toProducerRecord(audio(1000, true));
        ProducerRecord<byte[], byte[]> b = records.toProducerRecord(audio(1023, false));
        assertThat(headers(a)).contains("dts=00000000000003e8", "seqhdr=01");
        assertThat(headers(b)).contains("dts=00000000000003ff", "seqhdr=00");
        assertThat(a.headers().lastHeader("codec")).isSameAs(b.headers().lastHeader("codec"));
        assertThat(a.key()).isSameAs(b.key());
    }

    @Test
    void theStaticCodecWritesTheSameRecord() {
        IngestRecord r = audio(5, false);
        assertThat(headers(IngestRecordCodec.toProducerRecord(r))).isEqualTo(headers(records.toProducerRecord(r)));
    }

    @Test
    void aRecordOfAnotherPublishIsRefused() {
        assertThatThrownBy(() -> records.toProducerRecord(new IngestRecord("s2", "sess-1", IngestRecord.Kind.DATA, 0, 0, false, false, "amf0", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> records.toProducerRecord(new IngestRecord("s1", "sess-2", IngestRecord.Kind.DATA, 0, 0, false, false, "amf0", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static IngestRecord audio(long dts, boolean sequenceHeader) {
        return new IngestRecord("s1", "sess-1", IngestRecord.Kind.AUDIO, dts, 0, true, sequenceHeader, "mp4a", new byte[] {(byte) 0xAF, 1});
    }

    private static List<String> headers(ProducerRecord<byte[], byte[]> r) {
        return Arrays.stream(r.headers().toArray()).map(IngestProducerRecordsTest::text).toList();
    }

    private static String text(Header h) {
        return h.key() + "=" + HexFormat.of().formatHex(h.value());
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
