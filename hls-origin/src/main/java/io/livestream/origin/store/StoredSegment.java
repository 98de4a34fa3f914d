package io.livestream.origin.store;

import java.util.zip.CRC32C;

/**
 * A segment held in a window. The bytes are never modified after construction, so they are handed out as is.
 *
 * @param sequence the origin's media sequence number (the URI {@code {sequence}.m4s} or {@code {sequence}.ts})
 * @param etag strong entity tag, quoted, derived from the content
 */
public record StoredSegment(long sequence, double durationSec, long wallClockMs, boolean discontinuity, byte[] bytes, String etag,
                            String initId) {

    /** @param initId the {@link StoredInit} its fMP4 fragments decode after, null for MPEG-TS */
    static StoredSegment of(long sequence, double durationSec, long wallClockMs, boolean discontinuity, byte[] bytes, String initId) {
        return new StoredSegment(sequence, durationSec, wallClockMs, discontinuity, bytes, etagOf(bytes), initId);
    }

    /** A strong ETag from CRC-32C and length: content-derived, so every origin instance gives the same tag. */
    public static String etagOf(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(content.length) + "\"";
    }

    /** @param extension the container's file extension, {@code m4s} or {@code ts} */
    public String uri(String extension) {
        return sequence + "." + extension;
    }
}
