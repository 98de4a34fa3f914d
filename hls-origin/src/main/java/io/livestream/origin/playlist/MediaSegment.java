package io.livestream.origin.playlist;

import java.util.List;
import java.util.Objects;

/**
 * One segment line of a media playlist.
 *
 * @param programDateTimeMs wall-clock time of the first frame, 0 when unknown (then no EXT-X-PROGRAM-DATE-TIME)
 * @param discontinuity whether an EXT-X-DISCONTINUITY precedes this segment
 * @param parts its LL-HLS parts, rendered as EXT-X-PART before the EXTINF; empty once they left the playlist
 * @param mapUri the fMP4 init segment it decodes after (EXT-X-MAP, written where it changes), null for MPEG-TS
 * @param gap no media under this number (EXT-X-GAP): players skip its duration and do not load it
 */
public record MediaSegment(long sequence, double durationSec, long programDateTimeMs, boolean discontinuity, String uri,
                           List<MediaPart> parts, String mapUri, boolean gap) {
    public MediaSegment {
        Objects.requireNonNull(uri, "uri");
        if (durationSec < 0) throw new IllegalArgumentException("negative duration " + durationSec);
        parts = List.copyOf(parts);
    }

    public MediaSegment(long sequence, double durationSec, long programDateTimeMs, boolean discontinuity, String uri) {
        this(sequence, durationSec, programDateTimeMs, discontinuity, uri, List.of(), null, false);
    }

    public MediaSegment(long sequence, double durationSec, long programDateTimeMs, boolean discontinuity, String uri, List<MediaPart> parts) {
        this(sequence, durationSec, programDateTimeMs, discontinuity, uri, parts, null, false);
    }

    public MediaSegment(long sequence, double durationSec, long programDateTimeMs, boolean discontinuity, String uri, List<MediaPart> parts,
                        String mapUri) {
        this(sequence, durationSec, programDateTimeMs, discontinuity, uri, parts, mapUri, false);
    }
}
