package io.livestream.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessages;
import org.junit.jupiter.api.Test;

class IngestRecordMapperTest {
    private final IngestRecordMapper mapper = new IngestRecordMapper("s1", "sess");

    @Test
    void avcFramesCarryKeyframeAndCompositionTime() {
        byte[] body = {0x17, 1, 0, 0, 0x42, 0, 0, 0, 1, 0x65};
        IngestRecord r = mapper.map(new RtmpMessage.Video(1, 1000, body));
        assertThat(r.kind()).isEqualTo(IngestRecord.Kind.VIDEO);
        assertThat(r.codec()).isEqualTo("avc1");
        assertThat(r.keyframe()).isTrue();
        assertThat(r.sequenceHeader()).isFalse();
        assertThat(r.compositionTimeMs()).isEqualTo(0x42);
        assertThat(r.timestampMs()).isEqualTo(1000);
        assertThat(r.payload()).isSameAs(body);
        assertThat(r.streamId()).isEqualTo("s1");
        assertThat(r.sessionId()).isEqualTo("sess");
    }

    @Test
    void enhancedRtmpHevcAndAv1PassThroughUntouched() {
        byte[] hevcStart = {(byte) 0x90, 'h', 'v', 'c', '1', 1, 2, 3};
        IngestRecord seq = mapper.map(new RtmpMessage.Video(1, 0, hevcStart));
        assertThat(seq.codec()).isEqualTo("hvc1");
        assertThat(seq.sequenceHeader()).isTrue();
        assertThat(seq.payload()).isSameAs(hevcStart);
        IngestRecord av1 = mapper.map(new RtmpMessage.Video(1, 40, new byte[] {(byte) 0x91, 'a', 'v', '0', '1', 9}));
        assertThat(av1.codec()).isEqualTo("av01");
        assertThat(av1.keyframe()).isTrue();
    }

    @Test
    void aacConfigIsASequenceHeader() {
        IngestRecord r = mapper.map(new RtmpMessage.Audio(1, 0, new byte[] {(byte) 0xAF, 0, 0x12, 0x10}));
        assertThat(r.codec()).isEqualTo("mp4a");
        assertThat(r.sequenceHeader()).isTrue();
    }

    @Test
    void timestampsAreUnrolledAcrossTheWrap() {
        mapper.map(new RtmpMessage.Audio(1, 0xFFFFFFF0L, new byte[] {(byte) 0xAF, 1, 0}));
        IngestRecord r = mapper.map(new RtmpMessage.Audio(1, 0x10, new byte[] {(byte) 0xAF, 1, 0}));
        assertThat(r.timestampMs()).isEqualTo(0x1_0000_0010L);
    }

    @Test
    void metadataAndEmptyOrTruncatedBodies() {
        IngestRecord meta = mapper.map(RtmpMessages.data(1, 0, "onMetaData", java.util.Map.of("width", 1.0)));
        assertThat(meta.kind()).isEqualTo(IngestRecord.Kind.DATA);
        assertThat(meta.codec()).isEqualTo("amf0");
        assertThat(mapper.map(new RtmpMessage.Video(1, 0, new byte[0]))).isNull();
        assertThat(mapper.map(new RtmpMessage.Video(1, 0, new byte[] {0x17, 1}))).isNull();
    }
}
