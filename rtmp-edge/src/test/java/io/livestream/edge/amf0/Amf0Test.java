package io.livestream.edge.amf0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.edge.RtmpProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Amf0Test {
    private static final HexFormat HEX = HexFormat.of();

    /** One value per AMF0 type, with its exact encoding: checked in both directions. */
    private static final Object[][] CASES = {
            {1.5, "003ff8000000000000"},
            {true, "0101"},
            {false, "0100"},
            {"ab", "0200026162"},
            {null, "05"},
            {Amf0.UNDEFINED, "06"},
            {Amf0.UNSUPPORTED, "0d"},
            {map("a", 1.0), "03000161003ff0000000000000000009"},
            {new Amf0EcmaArray(map("w", 2.0)), "0800000001000177004000000000000000000009"},
            {Arrays.asList(1.0, "x"), "0a00000002003ff000000000000002000178"},
            {new Amf0Date(1000.0, (short) 0), "0b408f4000000000000000"},
            {new Amf0XmlDocument("<a/>"), "0f000000043c612f3e"},
            {new Amf0TypedObject("T", map("k", null)), "1000015400016b05000009"},
    };

    @Test
    void everyTypeEncodesToItsExactBytesAndBack() {
        for (Object[] c : CASES) {
            byte[] bytes = HEX.parseHex((String) c[1]);
            assertThat(HEX.formatHex(Amf0.encode(c[0]))).as("encode %s", c[0]).isEqualTo(c[1]);
            assertThat(Amf0.decodeAll(bytes)).as("decode %s", c[1]).containsExactly(c[0]);
        }
    }

    @Test
    void longStringsUseTheLongStringType() {
        String s = "x".repeat(70_000);
        byte[] bytes = Amf0.encode(s);
        assertThat(bytes[0]).isEqualTo((byte) Amf0.LONG_STRING);
        assertThat(bytes).hasSize(1 + 4 + 70_000);
        assertThat(Amf0.decodeAll(bytes)).containsExactly(s);
    }

    @Test
    void aRepeatedObjectIsWrittenAsAReferenceAndDecodesToTheSameInstance() {
        Map<String, Object> shared = map("n", 1.0);
        List<Object> list = new ArrayList<>(List.of(shared, shared));
        byte[] bytes = Amf0.encode(list);
        // strict array (ref 0), object (ref 1), then a reference to index 1
        assertThat(HEX.formatHex(bytes)).endsWith("070001");
        List<?> decoded = (List<?>) Amf0.decodeAll(bytes).get(0);
        assertThat(decoded.get(0)).isEqualTo(shared).isSameAs(decoded.get(1));
    }

    @Test
    void nestedValuesRoundTrip() {
        Map<String, Object> inner = map("list", Arrays.asList(1.0, null, Amf0.UNDEFINED, "s"));
        Map<String, Object> outer = map("inner", inner, "ecma", new Amf0EcmaArray(map("d", new Amf0Date(5, (short) 0))));
        assertThat(Amf0.decodeAll(Amf0.encode("cmd", 2.0, outer, null))).containsExactly("cmd", 2.0, outer, null);
    }

    @Test
    void hostileInputIsRefusedNotCrashedOn() {
        assertThatThrownBy(() -> Amf0.decodeAll(HEX.parseHex("02ffff61"))).isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> Amf0.decodeAll(HEX.parseHex("0a7fffffff"))).isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> Amf0.decodeAll(HEX.parseHex("070005"))).isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> Amf0.decodeAll(HEX.parseHex("11"))).isInstanceOf(RtmpProtocolException.class);
        byte[] deep = new byte[10_000 * 5];
        for (int i = 0; i < 10_000; i++) {
            System.arraycopy(HEX.parseHex("0a00000001"), 0, deep, i * 5, 5);
        }
        assertThatThrownBy(() -> Amf0.decodeAll(deep)).isInstanceOf(RtmpProtocolException.class).hasMessageContaining("nesting");
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
