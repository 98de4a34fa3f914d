package io.livestream.origin.store;

import java.util.zip.CRC32C;

/**
 * A segment held in a window. The bytes are never modified after construction, so they are handed out as is.
 *
 * @param sequence the origin's media sequence number (the URI {@code {sequence}.m4s} or {@code {sequence}.ts})
 * @param etag strong entity tag, quoted, derived from the content
 * @param gap a number the transcoder skipped (no media): listed as EXT-X-GAP, never served
 */
public record StoredSegment(long sequence, double durationSec, long wallClockMs, boolean discontinuity, byte[] bytes, String etag,
                            String initId, boolean gap) {
    private static final byte[] NO_BYTES = new byte[0];

    /** @param initId the {@link StoredInit} its fMP4 fragments decode after, null for MPEG-TS */
    static StoredSegment of(long sequence, double durationSec, long wallClockMs, boolean discontinuity, byte[] bytes, String initId) {
        return new StoredSegment(sequence, durationSec, wallClockMs, discontinuity, bytes, etagOf(bytes), initId, false);
    }

    /** A gap entry: {@code durationSec} of media time the transcoder skipped under this number. */
    static StoredSegment gap(long sequence, double durationSec, long wallClockMs) {
        return new StoredSegment(sequence, durationSec, wallClockMs, false, NO_BYTES, "", null, true);
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
