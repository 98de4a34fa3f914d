package io.livestream.edge.amf0;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Encodes Java values (the shapes listed in {@link Amf0}) as AMF0. */
public final class Amf0Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final Map<Object, Integer> references = new IdentityHashMap<>();

    public Amf0Writer write(Object value) {
        if (value == null) {
            out.write(Amf0.NULL);
        } else if (value == Amf0.UNDEFINED) {
            out.write(Amf0.UNDEFINED_MARKER);
        } else if (value == Amf0.UNSUPPORTED) {
            out.write(Amf0.UNSUPPORTED_MARKER);
        } else if (value instanceof Number n) {
            out.write(Amf0.NUMBER);
            u64(Double.doubleToLongBits(n.doubleValue()));
        } else if (value instanceof Boolean b) {
            out.write(Amf0.BOOLEAN);
            out.write(b ? 1 : 0);
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= 0xFFFF) {
                out.write(Amf0.STRING);
                u16(utf8.length);
            } else {
                out.write(Amf0.LONG_STRING);
                u32(utf8.length);
            }
            out.writeBytes(utf8);
        } else if (value instanceof Amf0Date d) {
            out.write(Amf0.DATE);
            u64(Double.doubleToLongBits(d.epochMillis()));
            u16(d.timeZone());
        } else if (value instanceof Amf0XmlDocument x) {
            byte[] utf8 = x.xml().getBytes(StandardCharsets.UTF_8);
            out.write(Amf0.XML_DOCUMENT);
            u32(utf8.length);
            out.writeBytes(utf8);
        } else if (!writeReference(value)) {
            writeComplex(value);
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Complex values seen before are written as a Reference to their first occurrence. */
    private boolean writeReference(Object value) {
        Integer index = references.get(value);
        if (index == null) {
            references.put(value, references.size());
            return false;
        }
        out.write(Amf0.REFERENCE);
        u16(index);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void writeComplex(Object value) {
        if (value instanceof Amf0EcmaArray a) {
            out.write(Amf0.ECMA_ARRAY);
            u32(a.entries().size());
            writeProperties(a.entries());
        } else if (value instanceof Amf0TypedObject t) {
            out.write(Amf0.TYPED_OBJECT);
            key(t.className());
            writeProperties(t.properties());
        } else if (value instanceof Map<?, ?> m) {
            out.write(Amf0.OBJECT);
            writeProperties((Map<String, Object>) m);
        } else if (value instanceof List<?> list) {
            out.write(Amf0.STRICT_ARRAY);
            u32(list.size());
            for (Object item : list) write(item);
        } else {
            throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
        }
    }

    private void writeProperties(Map<String, Object> properties) {
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            key(e.getKey());
            write(e.getValue());
        }
        u16(0);
        out.write(Amf0.OBJECT_END);
    }

    private void key(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        u16(utf8.length);
        out.writeBytes(utf8);
    }

    private void u16(int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private void u32(long v) {
        u16((int) (v >>> 16) & 0xFFFF);
        u16((int) v & 0xFFFF);
    }

    private void u64(long v) {
        u32(v >>> 32);
        u32(v & 0xFFFFFFFFL);
    }
}
