package io.livestream.origin.store;

import java.util.zip.CRC32C;

/**
 * An fMP4 initialisation segment (EXT-X-MAP) held in a window, named after its content, so every origin instance
 * gives it the same URI and a changed init (new audio configuration) gets a new one.
 *
 * @param id hex of the content's CRC-32C: the URI is {@code init-{id}.mp4}
 */
public record StoredInit(String id, byte[] bytes, String etag) {

    static StoredInit of(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return new StoredInit(Long.toHexString(crc.getValue()), bytes, StoredSegment.etagOf(bytes));
    }

    public String uri() {
        return uriOf(id);
    }

    public static String uriOf(String id) {
        return "init-" + id + ".mp4";
    }
}
