package io.livestream.origin.store;

/**
 * Where a rendition's playlist ends right now: what a blocking playlist reload waits for.
 *
 * @param lastMsn sequence number of the last whole segment, -1 before the first
 * @param openMsn sequence number of the segment being written (whose parts are listed); {@code lastMsn + 1}
 * @param openParts how many parts of the open segment are listed
 * @param targetDurationSec the playlist's EXT-X-TARGETDURATION
 */
public record LiveEdge(long lastMsn, long openMsn, int openParts, boolean ended, int targetDurationSec) {

    /**
     * Whether the playlist already holds what {@code _HLS_msn=msn[&_HLS_part=part]} asks for: segment {@code msn}
     * whole, or (with a part) part {@code part} of it, or anything later.
     *
     * @param part -1 when the request names no part
     */
    public boolean satisfies(long msn, int part) {
        if (msn <= lastMsn) return true;
        if (part < 0) return false;
        return msn == openMsn && part < openParts;
    }

    /** The draft's "too far ahead": more than one segment beyond the next one. */
    public boolean tooFarAhead(long msn) {
        return msn > lastMsn + 2;
    }

    /** Whether part {@code part} of {@code msn} is the one the preload hint names. */
    public boolean isHinted(long msn, int part) {
        return !ended && msn == openMsn && part == openParts;
    }
}
