package io.livestream.origin.playlist;

import java.util.Objects;

/**
 * One segment line of a media playlist.
 *
 * <p>LL-HLS will add the segment's parts here (a list of partial segments rendered as EXT-X-PART before the
 * EXTINF); the renderer is written so that such a field only adds lines.
 *
 * @param programDateTimeMs wall-clock time of the first frame, 0 when unknown (then no EXT-X-PROGRAM-DATE-TIME)
 * @param discontinuity whether an EXT-X-DISCONTINUITY precedes this segment
 */
public record MediaSegment(long sequence, double durationSec, long programDateTimeMs, boolean discontinuity, String uri) {
    public MediaSegment {
        Objects.requireNonNull(uri, "uri");
        if (durationSec < 0) throw new IllegalArgumentException("negative duration " + durationSec);
    }
}
