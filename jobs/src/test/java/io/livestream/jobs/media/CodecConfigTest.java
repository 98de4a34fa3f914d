package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodecConfigTest {
    @Test
    void codecsFromAnAvcDecoderConfigurationRecord() {
        byte[] avcC = {1, 0x64, 0x00, 0x1F, (byte) 0xFF, (byte) 0xE1, 0, 4, 0x67, 0x64, 0x00, 0x1F};
        assertThat(AvcCodecs.fromDecoderConfigurationRecord(avcC)).isEqualTo("avc1.64001f");
        assertThatThrownBy(() -> AvcCodecs.fromDecoderConfigurationRecord(new byte[] {0, 1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codecsFromTheFirstSpsOfAnAnnexBStream() {
        byte[] stream = {
                0, 0, 0, 1, 0x09, (byte) 0xF0,                     // access unit delimiter
                0, 0, 1, 0x67, 0x42, (byte) 0xC0, 0x1E, 0x11,      // SPS: constrained baseline, level 3.0
                0, 0, 0, 1, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80}; // PPS
        assertThat(AvcCodecs.fromAnnexB(stream)).isEqualTo("avc1.42c01e");
        assertThat(AvcCodecs.fromAnnexB(new byte[] {0, 0, 1, 0x65, 1, 2, 3})).isNull();
    }

    @Test
    void aacLcStereo44100() {
        AacConfig c = AacConfig.parse(new byte[] {0x12, 0x10});
        assertThat(c.objectType()).isEqualTo(2);
        assertThat(c.sampleRate()).isEqualTo(44100);
        assertThat(c.channels()).isEqualTo(2);
        assertThat(c.codecs()).isEqualTo("mp4a.40.2");
    }

    @Test
    void heAacMono48000() {
        AacConfig c = AacConfig.parse(new byte[] {0x29, (byte) 0x88});
        assertThat(c.objectType()).isEqualTo(5);
        assertThat(c.sampleRate()).isEqualTo(48000);
        assertThat(c.channels()).isEqualTo(1);
    }

    @Test
    void rejectsTruncatedAudioSpecificConfig() {
        assertThatThrownBy(() -> AacConfig.parse(new byte[] {0x12})).isInstanceOf(IllegalArgumentException.class);
    }
}
