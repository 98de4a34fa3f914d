package io.livestream.origin.store;

/**
 * An LL-HLS part held in a window: bytes {@code index} of segment {@code msn}, never modified after construction.
 *
 * @param msn the origin's media sequence number of the segment the part belongs to
 */
public record StoredPart(long msn, int index, double durationSec, boolean independent, byte[] bytes, String etag) {

    static StoredPart of(long msn, int index, double durationSec, boolean independent, byte[] bytes) {
        return new StoredPart(msn, index, durationSec, independent, bytes, StoredSegment.etagOf(bytes));
    }

    public String uri(String extension) {
        return uriOf(msn, index, extension);
    }

    public static String uriOf(long msn, int index, String extension) {
        return msn + "." + index + "." + extension;
    }
}
