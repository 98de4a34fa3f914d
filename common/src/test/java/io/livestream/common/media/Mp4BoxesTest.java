package io.livestream.common.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp4BoxesTest {
    private static byte[] box(String type, int payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int size = 8 + payload;
        out.writeBytes(new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[payload]);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void readsTheTopLevelBoxesInOrder() {
        byte[] data = concat(box("ftyp", 16), box("moov", 100));
        assertThat(Mp4Boxes.topLevel(data)).containsExactly(new Mp4Boxes.Box("ftyp", 0, 24), new Mp4Boxes.Box("moov", 24, 108));
        assertThat(Mp4Boxes.isInitSegment(data)).isTrue();
        assertThat(Mp4Boxes.isChunks(data)).isFalse();
    }

    @Test
    void chunksAreMoofMdatPairs() {
        assertThat(Mp4Boxes.isChunks(concat(box("moof", 50), box("mdat", 500)))).isTrue();
        assertThat(Mp4Boxes.isChunks(concat(box("styp", 4), box("moof", 50), box("mdat", 500), box("moof", 50), box("mdat", 5)))).isTrue();
        assertThat(Mp4Boxes.isChunks(concat(box("moof", 50)))).isFalse();
        assertThat(Mp4Boxes.isChunks(concat(box("mdat", 50), box("moof", 50)))).isFalse();
        assertThat(Mp4Boxes.isChunks(new byte[0])).isFalse();
    }

    @Test
    void refusesABoxRunningPastTheEndAndMpegTs() {
        byte[] truncated = box("moof", 50);
        assertThatThrownBy(() -> Mp4Boxes.topLevel(java.util.Arrays.copyOf(truncated, 30))).isInstanceOf(IllegalArgumentException.class);
        byte[] ts = new byte[188];
        ts[0] = 0x47;
        assertThatThrownBy(() -> Mp4Boxes.topLevel(ts)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Mp4Boxes.types(List.of(box("mdat", 0)).get(0))).containsExactly("mdat");
    }
}
