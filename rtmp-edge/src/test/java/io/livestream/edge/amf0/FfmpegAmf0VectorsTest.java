package io.livestream.edge.amf0;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command payloads captured from a real ffmpeg 8.0.1 publish (rtmp://127.0.0.1:37193/live/KEY), decoded and re-encoded. */
class FfmpegAmf0VectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    static final String KEY = "live_0123456789abcdef0123456789abcdef";

    static final String CONNECT = "020007636f6e6e656374003ff00000000000000300036170700200046c69766500047479706502000a6e6f6e707269766174650008666c617368566572020023464d4c452f332e302028636f6d70617469626c653b204c61766636322e332e313030290005746355726c02001b72746d703a2f2f3132372e302e302e313a33373139332f6c697665000009";
    static final String RELEASE_STREAM = "02000d72656c6561736553747265616d004000000000000000050200256c6976655f3031323334353637383961626364656630313233343536373839616263646566";
    static final String FC_PUBLISH = "02000946435075626c697368004008000000000000050200256c6976655f3031323334353637383961626364656630313233343536373839616263646566";
    static final String CREATE_STREAM = "02000c63726561746553747265616d00401000000000000005";
    static final String PUBLISH = "0200077075626c697368004014000000000000050200256c6976655f30313233343536373839616263646566303132333435363738396162636465660200046c697665";
    static final String SET_DATA_FRAME = "02000d40736574446174614672616d6502000a6f6e4d65746144617461080000000d00086475726174696f6e003ff000000000000000057769647468004074000000000000000668656967687400406e000000000000000d766964656f646174617261746500000000000000000000096672616d657261746500403e000000000000000c766964656f636f646563696400401c000000000000000d617564696f6461746172617465004050d88000000000000f617564696f73616d706c65726174650040e5888000000000000f617564696f73616d706c6573697a65004030000000000000000673746572656f0100000c617564696f636f64656369640040240000000000000007656e636f64657202000c4c61766636322e332e313030000866696c6573697a65000000000000000000000009";

    @Test
    void connect() {
        List<Object> v = roundTrip(CONNECT);
        assertThat(v.subList(0, 2)).containsExactly("connect", 1.0);
        assertThat((Map<String, Object>) v.get(2))
                .containsEntry("app", "live")
                .containsEntry("type", "nonprivate")
                .containsEntry("flashVer", "FMLE/3.0 (compatible; Lavf62.3.100)")
                .containsEntry("tcUrl", "rtmp://127.0.0.1:37193/live");
    }

    @Test
    void publishSequence() {
        assertThat(roundTrip(RELEASE_STREAM)).containsExactly("releaseStream", 2.0, null, KEY);
        assertThat(roundTrip(FC_PUBLISH)).containsExactly("FCPublish", 3.0, null, KEY);
        assertThat(roundTrip(CREATE_STREAM)).containsExactly("createStream", 4.0, null);
        assertThat(roundTrip(PUBLISH)).containsExactly("publish", 5.0, null, KEY, "live");
    }

    @Test
    void setDataFrameMetadata() {
        List<Object> v = roundTrip(SET_DATA_FRAME);
        assertThat(v.subList(0, 2)).containsExactly("@setDataFrame", "onMetaData");
        Map<String, Object> meta = ((Amf0EcmaArray) v.get(2)).entries();
        assertThat(meta).containsEntry("width", 320.0).containsEntry("height", 240.0).containsEntry("framerate", 30.0)
                .containsEntry("videocodecid", 7.0).containsEntry("audiocodecid", 10.0).containsEntry("stereo", false)
                .containsEntry("encoder", "Lavf62.3.100").hasSize(13);
    }

    /** Decodes the captured bytes and checks our writer gives back exactly the same bytes. */
    private static List<Object> roundTrip(String hex) {
        List<Object> values = Amf0.decodeAll(HEX.parseHex(hex));
        assertThat(HEX.formatHex(Amf0.encode(values.toArray()))).isEqualTo(hex);
        return values;
    }
}
