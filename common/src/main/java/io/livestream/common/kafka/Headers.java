package io.livestream.common.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Typed reading and writing of Kafka record headers (big-endian numbers, UTF-8 strings). */
public final class Headers {
    public static void putLong(RecordHeaders headers, String key, long value) {
        headers.add(key, ByteBuffer.allocate(8).putLong(value).array());
    }

    public static void putInt(RecordHeaders headers, String key, int value) {
        headers.add(key, ByteBuffer.allocate(4).putInt(value).array());
    }

    public static void putBool(RecordHeaders headers, String key, boolean value) {
        headers.add(key, new byte[] {(byte) (value ? 1 : 0)});
    }

    public static void putString(RecordHeaders headers, String key, String value) {
        if (value != null) headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    public static long getLong(org.apache.kafka.common.header.Headers headers, String key, long fallback) {
        byte[] v = value(headers, key);
        return v == null || v.length != 8 ? fallback : ByteBuffer.wrap(v).getLong();
    }

    public static int getInt(org.apache.kafka.common.header.Headers headers, String key, int fallback) {
        byte[] v = value(headers, key);
        return v == null || v.length != 4 ? fallback : ByteBuffer.wrap(v).getInt();
    }

    public static boolean getBool(org.apache.kafka.common.header.Headers headers, String key) {
        byte[] v = value(headers, key);
        return v != null && v.length == 1 && v[0] != 0;
    }

    public static String getString(org.apache.kafka.common.header.Headers headers, String key) {
        byte[] v = value(headers, key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** The last value under {@code key}; Kafka allows a header with a null value, read here as no header. */
    private static byte[] value(org.apache.kafka.common.header.Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : h.value();
    }

    private Headers() {}
}
