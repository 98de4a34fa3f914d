package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvcPictureSizeTest {
    @TempDir Path dir;

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void readsTheCroppedSizeOfA1080pHighProfileSps() {
        // x264 1920x1080 High profile: 68 macroblock rows cropped by 8 lines
        byte[] sps = hex("67 64 00 28 ac d9 40 78 02 27 e5 c0 44 00 00 03 00 04 00 00 03 00 f0 3c 60 c6 58");
        assertThat(AvcPictureSize.fromSps(sps, 0, sps.length)).isEqualTo(new AvcPictureSize(1920, 1080));
    }

    @Test
    void readsTheSizeOfRealEncoderOutputInBothExtradataForms() throws Exception {
        for (String size : new String[] {"640x360", "854x480", "176x144"}) {
            byte[] avcC = TestMedia.ingestRecords(TestMedia.generateFlv(dir, size, 30, 0.2, 30), "s", "x").stream()
                    .filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO).findFirst().orElseThrow().codecConfig();
            String[] wh = size.split("x");
            AvcPictureSize expected = new AvcPictureSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
            assertThat(AvcPictureSize.fromExtradata(avcC)).as(size).isEqualTo(expected);
            int spsLength = ((avcC[6] & 0xFF) << 8) | (avcC[7] & 0xFF);
            byte[] annexB = new byte[4 + spsLength];
            annexB[3] = 1;
            System.arraycopy(avcC, 8, annexB, 4, spsLength);
            assertThat(AvcPictureSize.fromExtradata(annexB)).as(size + " Annex-B").isEqualTo(expected);
        }
    }

    @Test
    void refusesExtradataWithoutAnSps() {
        assertThatThrownBy(() -> AvcPictureSize.fromExtradata(hex("00 00 00 01 68 ee 3c 80"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AvcPictureSize.fromSps(hex("67 64"), 0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
