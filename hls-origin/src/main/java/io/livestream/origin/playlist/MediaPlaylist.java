package io.livestream.origin.playlist;

import java.util.List;

/**
 * A live (sliding window) or ended media playlist.
 *
 * @param mediaSequence sequence number of the first segment in {@code segments}
 * @param discontinuitySequence number of EXT-X-DISCONTINUITY tags that have slid out of the window
 * @param ended whether the playlist ends with EXT-X-ENDLIST
 * @param lowLatency the LL-HLS tags, or null for a playlist without parts
 */
public record MediaPlaylist(long mediaSequence, long discontinuitySequence, List<MediaSegment> segments, boolean ended,
                            LowLatency lowLatency) {
    public static final int VERSION = 6;
    /** EXT-X-GAP needs version 8. */
    public static final int GAP_VERSION = 8;
    /** EXT-X-SKIP needs version 9. */
    public static final int DELTA_VERSION = 9;

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    public MediaPlaylist(long mediaSequence, long discontinuitySequence, List<MediaSegment> segments, boolean ended) {
        this(mediaSequence, discontinuitySequence, segments, ended, null);
    }

    /** Whether any listed segment is a gap (EXT-X-GAP). */
    public boolean hasGaps() {
        for (MediaSegment s : segments) if (s.gap()) return true;
        return false;
    }

    /** CAN-SKIP-UNTIL: segments ending at least this long before the end of the playlist may be skipped. */
    public double canSkipUntilSec() {
        return LowLatency.SKIP_UNTIL_TARGET_DURATIONS * targetDurationSec();
    }

    /**
     * How many leading segments a delta update (_HLS_skip=YES) replaces with EXT-X-SKIP: those whose end lies at least
     * CAN-SKIP-UNTIL before the end of the playlist (the open segment's parts included). 0 without LL-HLS.
     */
    public int skippableSegments() {
        if (lowLatency == null) return 0;
        double remaining = 0;
        for (MediaSegment s : segments) remaining += s.durationSec();
        for (MediaPart p : lowLatency.openParts()) remaining += p.durationSec();
        double limit = canSkipUntilSec();
        int skippable = 0;
        for (MediaSegment s : segments) {
            remaining -= s.durationSec(); // now: from this segment's end to the end of the playlist
            if (remaining + 1e-9 < limit) break;
            skippable++;
        }
        return skippable;
    }

    /**
     * EXT-X-TARGETDURATION: the largest segment duration rounded to the nearest integer, so that no segment's
     * rounded EXTINF exceeds it (RFC 8216 4.3.3.1); at least 1. Rounded from the duration as EXTINF writes it, to
     * three decimals: 3.4996 s is written 3.500, which rounds to 4, not 3.
     */
    public int targetDurationSec() {
        long max = 1;
        for (MediaSegment s : segments) max = Math.max(max, Math.round(Math.round(s.durationSec() * 1000) / 1000.0));
        return (int) max;
    }
}
