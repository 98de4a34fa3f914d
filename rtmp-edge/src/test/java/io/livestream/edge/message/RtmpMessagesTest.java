package io.livestream.edge.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.edge.chunk.RawMessage;
import io.livestream.edge.message.RtmpMessage.*;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RtmpMessagesTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Control messages: exact payload bytes, both directions. */
    @Test
    void controlMessagesMatchTheirBytes() {
        Object[][] cases = {
                {new SetChunkSize(4096), 1, "00001000"},
                {new Abort(5), 2, "00000005"},
                {new Acknowledgement(123456), 3, "0001e240"},
                {new WindowAckSize(2_500_000), 5, "002625a0"},
                {new SetPeerBandwidth(2_500_000, 2), 6, "002625a002"},
                {UserControl.streamBegin(1), 4, "000000000001"},
                {new UserControl(UserControl.SET_BUFFER_LENGTH, 1, 3000), 4, "0003000000010000 0bb8".replace(" ", "")},
                {UserControl.pingResponse(9), 4, "000700000009"},
        };
        for (Object[] c : cases) {
            RawMessage raw = RtmpMessages.encode((RtmpMessage) c[0]);
            assertThat(raw.typeId()).isEqualTo(c[1]);
            assertThat(raw.chunkStreamId()).isEqualTo(RtmpMessages.CS_CONTROL);
            assertThat(HEX.formatHex(raw.payload())).isEqualTo(c[2]);
            assertThat(RtmpMessages.decode(raw)).containsExactly((RtmpMessage) c[0]);
        }
    }

    @Test
    void commandsRoundTripIncludingNullArguments() {
        Command c = new Command(1, "publish", 5, Arrays.asList(null, "key", "live"));
        List<RtmpMessage> back = RtmpMessages.decode(RtmpMessages.encode(c));
        assertThat(back).singleElement().isEqualTo(c);
    }

    @Test
    void amf3FlaggedCommandsAreReadAsAmf0() {
        RawMessage amf0 = RtmpMessages.encode(new Command(0, "connect", 1, List.of(Map.of("app", "live"))));
        byte[] flagged = new byte[amf0.payload().length + 1];
        System.arraycopy(amf0.payload(), 0, flagged, 1, amf0.payload().length);
        List<RtmpMessage> decoded = RtmpMessages.decode(new RawMessage(3, 0, RtmpMessage.COMMAND_AMF3, 0, flagged));
        assertThat(((Command) decoded.get(0)).name()).isEqualTo("connect");
    }

    @Test
    void aggregateSplitsIntoItsSubMessagesOnTheAggregatesClock() {
        ByteArrayOutputStream agg = new ByteArrayOutputStream();
        tag(agg, 9, 5000, new byte[] {0x17, 1, 0, 0, 0, 9});
        tag(agg, 8, 5010, new byte[] {(byte) 0xAF, 1, 7});
        tag(agg, 9, 5033, new byte[] {0x27, 1, 0, 0, 0, 8});
        List<RtmpMessage> out = RtmpMessages.decode(new RawMessage(6, 100, RtmpMessage.AGGREGATE, 1, agg.toByteArray()));
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isInstanceOfSatisfying(Video.class, v -> {
            assertThat(v.timestamp()).isEqualTo(100);
            assertThat(v.body()).containsExactly(0x17, 1, 0, 0, 0, 9);
        });
        assertThat(out.get(1)).isInstanceOfSatisfying(Audio.class, a -> assertThat(a.timestamp()).isEqualTo(110));
        assertThat(out.get(2)).isInstanceOfSatisfying(Video.class, v -> assertThat(v.timestamp()).isEqualTo(133));
    }

    @Test
    void unknownTypesAreNotErrors() {
        assertThat(RtmpMessages.decode(new RawMessage(3, 0, 19, 0, new byte[3]))).containsExactly(new Unknown(19));
    }

    private static void tag(ByteArrayOutputStream out, int type, long ts, byte[] body) {
        out.write(type);
        out.write(body.length >>> 16); out.write(body.length >>> 8); out.write(body.length);
        out.write((int) (ts >>> 16)); out.write((int) (ts >>> 8)); out.write((int) ts); out.write((int) (ts >>> 24));
        out.write(0); out.write(0); out.write(0);
        out.writeBytes(body);
        int back = 11 + body.length;
        out.write(back >>> 24); out.write(back >>> 16); out.write(back >>> 8); out.write(back);
    }
}
