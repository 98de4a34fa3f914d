package io.livestream.common.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlvTagsTest {
    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    @Test
    void avcSequenceHeaderKeyframe() {
        FlvTagInfo info = FlvTags.parseVideo(bytes(0x17, 0x00, 0, 0, 0, 0x01, 0x64));
        assertThat(info).isEqualTo(new FlvTagInfo("avc1", true, true, 0, 5, false));
    }

    @Test
    void avcInterFrameWithNegativeCompositionTime() {
        FlvTagInfo info = FlvTags.parseVideo(bytes(0x27, 0x01, 0xFF, 0xFF, 0xBE, 0, 0, 0, 1));
        assertThat(info.keyframe()).isFalse();
        assertThat(info.compositionTimeMs()).isEqualTo(-66);
        assertThat(info.dataOffset()).isEqualTo(5);
    }

    @Test
    void enhancedHevcCodedFramesCarryCompositionTime() {
        FlvTagInfo info = FlvTags.parseVideo(bytes(0x91, 'h', 'v', 'c', '1', 0, 0, 0x21, 9));
        assertThat(info).isEqualTo(new FlvTagInfo("hvc1", true, false, 33, 8, false));
    }

    @Test
    void enhancedMetadataCarriesNoFrame() {
        // what ffmpeg's flv muxer sends after an HEVC or AV1 SequenceStart: frame type 5, packet type 4, AMF colorInfo
        FlvTagInfo info = FlvTags.parseVideo(bytes(0xD4, 'h', 'v', 'c', '1', 0x02, 0x00, 0x09));
        assertThat(info.endOfSequence()).isTrue();
        assertThat(info.keyframe()).isFalse();
        assertThat(info.sequenceHeader()).isFalse();
    }

    @Test
    void enhancedAv1SequenceStartAndCodedFramesX() {
        assertThat(FlvTags.parseVideo(bytes(0x90, 'a', 'v', '0', '1', 0x81)).sequenceHeader()).isTrue();
        FlvTagInfo x = FlvTags.parseVideo(bytes(0xA3, 'a', 'v', '0', '1', 0x12));
        assertThat(x).isEqualTo(new FlvTagInfo("av01", false, false, 0, 5, false));
    }

    @Test
    void aacConfigAndRawFrames() {
        assertThat(FlvTags.parseAudio(bytes(0xAF, 0x00, 0x12, 0x10)).sequenceHeader()).isTrue();
        FlvTagInfo raw = FlvTags.parseAudio(bytes(0xAF, 0x01, 0x21));
        assertThat(raw).isEqualTo(new FlvTagInfo("mp4a", true, false, 0, 2, false));
        assertThat(FlvTags.parseAudio(bytes(0x2F, 0xFF)).codec()).isEqualTo("mp3");
    }

    @Test
    void truncatedBodyIsRejected() {
        assertThatThrownBy(() -> FlvTags.parseVideo(bytes(0x17, 0x01))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlvTags.parseAudio(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
