package io.livestream.edge.amf0;

import io.livestream.edge.RtmpProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes AMF0 values from a byte range; malformed or hostile input raises {@link RtmpProtocolException}. */
public final class Amf0Reader {
    /** Deep nesting is only ever hostile; the bound also keeps the recursion off the stack limit. */
    private static final int MAX_DEPTH = 64;

    private final byte[] buf;
    private final int end;
    private int pos;
    private int depth;
    private final List<Object> references = new ArrayList<>();

    public Amf0Reader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public boolean hasMore() {
        return pos < end;
    }

    public int position() {
        return pos;
    }

    public List<Object> readAll() {
        List<Object> values = new ArrayList<>();
        while (hasMore()) values.add(read());
        return values;
    }

    public Object read() {
        int marker = u8();
        return switch (marker) {
            case Amf0.NUMBER -> Double.longBitsToDouble(s64());
            case Amf0.BOOLEAN -> u8() != 0;
            case Amf0.STRING -> utf8(u16());
            case Amf0.OBJECT -> nested(() -> readProperties(remember(new LinkedHashMap<>())));
            case Amf0.NULL -> null;
            case Amf0.UNDEFINED_MARKER -> Amf0.UNDEFINED;
            case Amf0.UNSUPPORTED_MARKER -> Amf0.UNSUPPORTED;
            case Amf0.REFERENCE -> reference(u16());
            case Amf0.ECMA_ARRAY -> {
                u32(); // associative count: advisory only, the entries end with an object-end marker
                Map<String, Object> entries = new LinkedHashMap<>();
                Amf0EcmaArray array = remember(new Amf0EcmaArray(entries));
                nested(() -> readProperties(entries));
                yield array;
            }
            case Amf0.STRICT_ARRAY -> {
                long count = u32();
                if (count > end - pos) throw new RtmpProtocolException("AMF0 strict array of " + count + " items in " + (end - pos) + " bytes");
                List<Object> items = remember(new ArrayList<>((int) count));
                nested(() -> {
                    for (long i = 0; i < count; i++) items.add(read());
                    return items;
                });
                yield items;
            }
            case Amf0.DATE -> new Amf0Date(Double.longBitsToDouble(s64()), (short) u16());
            case Amf0.LONG_STRING -> utf8(u32());
            case Amf0.XML_DOCUMENT -> new Amf0XmlDocument(utf8(u32()));
            case Amf0.TYPED_OBJECT -> {
                String className = utf8(u16());
                Map<String, Object> properties = new LinkedHashMap<>();
                Amf0TypedObject object = remember(new Amf0TypedObject(className, properties));
                nested(() -> readProperties(properties));
                yield object;
            }
            default -> throw new RtmpProtocolException("AMF0 marker 0x" + Integer.toHexString(marker) + " not supported");
        };
    }

    private Map<String, Object> readProperties(Map<String, Object> into) {
        while (true) {
            String key = utf8(u16());
            if (key.isEmpty() && peek() == Amf0.OBJECT_END) {
                pos++;
                return into;
            }
            into.put(key, read());
        }
    }

    private <T> T nested(java.util.function.Supplier<T> body) {
        if (++depth > MAX_DEPTH) throw new RtmpProtocolException("AMF0 nesting deeper than " + MAX_DEPTH);
        try {
            return body.get();
        } finally {
            depth--;
        }
    }

    private <T> T remember(T complex) {
        references.add(complex);
        return complex;
    }

    private Object reference(int index) {
        if (index >= references.size()) throw new RtmpProtocolException("AMF0 reference " + index + " to an unknown object");
        return references.get(index);
    }

    private String utf8(long length) {
        need(length);
        String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    private int peek() {
        need(1);
        return buf[pos] & 0xFF;
    }

    private int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    private int u16() {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    private long u32() {
        need(4);
        long v = ((long) (buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    private long s64() {
        return (u32() << 32) | u32();
    }

    private void need(long n) {
        if (n > end - pos) throw new RtmpProtocolException("AMF0 value runs past the end of its message");
    }
}
