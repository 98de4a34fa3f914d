package io.livestream.edge.amf0;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livestream.edge.RtmpProtocolException;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Whatever the reader accepts, the writer writes and the reader reads back equal; the rest is a clean refusal. */
class Amf0ReaderFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void readValuesSurviveAWriteAndReadBack(byte[] input) {
        List<Object> values;
        try {
            values = Amf0.decodeAll(input);
        } catch (RtmpProtocolException e) {
            return;
        }
        byte[] written = Amf0.encode(values.toArray());
        List<Object> reread = Amf0.decodeAll(written);
        assertThat(deepEquals(values, reread, new IdentityHashMap<>()))
                .as("read back equal after writing %d bytes", written.length).isTrue();
    }

    /**
     * Structural equality that follows References: a Reference may point at an object still being read, so values
     * can be cyclic, where Map.equals would recurse without end. A pair already under comparison counts as equal.
     */
    private static boolean deepEquals(Object a, Object b, IdentityHashMap<Object, Object> comparing) {
        if (a instanceof Map || a instanceof List || a instanceof Amf0EcmaArray || a instanceof Amf0TypedObject) {
            if (comparing.get(a) == b) return true;
            comparing.put(a, b);
        }
        if (a instanceof Amf0EcmaArray x) return b instanceof Amf0EcmaArray y && deepEquals(x.entries(), y.entries(), comparing);
        if (a instanceof Amf0TypedObject x) {
            return b instanceof Amf0TypedObject y && x.className().equals(y.className())
                    && deepEquals(x.properties(), y.properties(), comparing);
        }
        if (a instanceof Map<?, ?> x) {
            if (!(b instanceof Map<?, ?> y) || x.size() != y.size()) return false;
            Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
            while (i.hasNext()) { // AMF0 objects keep their order
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                if (!e.getKey().equals(f.getKey()) || !deepEquals(e.getValue(), f.getValue(), comparing)) return false;
            }
            return true;
        }
        if (a instanceof List<?> x) {
            if (!(b instanceof List<?> y) || x.size() != y.size()) return false;
            for (int k = 0; k < x.size(); k++) if (!deepEquals(x.get(k), y.get(k), comparing)) return false;
            return true;
        }
        return Objects.equals(a, b); // Double.equals and record equals compare NaN and -0.0 by their bits
    }
}
