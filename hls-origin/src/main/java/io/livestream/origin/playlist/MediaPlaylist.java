package io.livestream.origin.playlist;

import java.util.List;

/**
 * A live (sliding window) or ended media playlist.
 *
 * <p>LL-HLS adds fields here (part target, server control, preload hint, skipped segments) and parts to
 * {@link MediaSegment}; the writer then emits their tags around the lines it writes now.
 *
 * @param mediaSequence sequence number of the first segment in {@code segments}
 * @param discontinuitySequence number of EXT-X-DISCONTINUITY tags that have slid out of the window
 * @param ended whether the playlist ends with EXT-X-ENDLIST
 */
public record MediaPlaylist(long mediaSequence, long discontinuitySequence, List<MediaSegment> segments, boolean ended) {
    public static final int VERSION = 6;

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    /**
     * EXT-X-TARGETDURATION: the largest segment duration rounded to the nearest integer, so that no segment's
     * rounded EXTINF exceeds it (RFC 8216 4.3.3.1); at least 1.
     */
    public int targetDurationSec() {
        long max = 1;
        for (MediaSegment s : segments) max = Math.max(max, Math.round(s.durationSec()));
        return (int) max;
    }
}
