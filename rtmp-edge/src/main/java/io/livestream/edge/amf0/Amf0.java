package io.livestream.edge.amf0;

import java.util.List;

/**
 * AMF0 type markers and the Java shapes values decode to:
 * Number -> Double, Boolean -> Boolean, String and Long String -> String, Object -> {@code Map<String, Object>}
 * (insertion ordered), Null -> null, Undefined -> {@link #UNDEFINED}, Unsupported -> {@link #UNSUPPORTED},
 * ECMA Array -> {@link Amf0EcmaArray}, Strict Array -> {@code List<Object>}, Date -> {@link Amf0Date},
 * XML document -> {@link Amf0XmlDocument}, Typed Object -> {@link Amf0TypedObject}. A Reference decodes to the
 * very instance it points at, and the writer emits a Reference when it meets the same instance again.
 */
public final class Amf0 {
    public static final int NUMBER = 0x00;
    public static final int BOOLEAN = 0x01;
    public static final int STRING = 0x02;
    public static final int OBJECT = 0x03;
    public static final int MOVIECLIP = 0x04;
    public static final int NULL = 0x05;
    public static final int UNDEFINED_MARKER = 0x06;
    public static final int REFERENCE = 0x07;
    public static final int ECMA_ARRAY = 0x08;
    public static final int OBJECT_END = 0x09;
    public static final int STRICT_ARRAY = 0x0A;
    public static final int DATE = 0x0B;
    public static final int LONG_STRING = 0x0C;
    public static final int UNSUPPORTED_MARKER = 0x0D;
    public static final int RECORDSET = 0x0E;
    public static final int XML_DOCUMENT = 0x0F;
    public static final int TYPED_OBJECT = 0x10;
    public static final int AVMPLUS = 0x11;

    /** The AMF0 undefined value (distinct from null). */
    public static final Object UNDEFINED = new Marker("undefined");
    /** The AMF0 unsupported value. */
    public static final Object UNSUPPORTED = new Marker("unsupported");

    /** Decodes every value in {@code bytes}. */
    public static List<Object> decodeAll(byte[] bytes) {
        return new Amf0Reader(bytes, 0, bytes.length).readAll();
    }

    /** Encodes the values one after another. */
    public static byte[] encode(Object... values) {
        Amf0Writer w = new Amf0Writer();
        for (Object v : values) w.write(v);
        return w.toByteArray();
    }

    private record Marker(String name) {
        @Override public String toString() { return name; }
    }

    private Amf0() {}
}
