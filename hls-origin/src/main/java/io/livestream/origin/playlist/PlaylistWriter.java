package io.livestream.origin.playlist;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders playlists as M3U8 text (RFC 8216). Pure: the same model always gives the same text. */
public final class PlaylistWriter {
    private static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);

    public static String write(MasterPlaylist playlist) {
        StringBuilder out = new StringBuilder(256);
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(MediaPlaylist.VERSION).append('\n');
        out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Variant v : playlist.variants()) {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth());
            if (v.averageBandwidth() > 0) out.append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth());
            if (v.width() > 0 && v.height() > 0) out.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
            if (v.frameRate() > 0) out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.frameRate()));
            if (v.codecs() != null && !v.codecs().isEmpty()) out.append(",CODECS=\"").append(v.codecs()).append('"');
            out.append('\n').append(v.uri()).append('\n');
        }
        return out.toString();
    }

    public static String write(MediaPlaylist playlist) {
        return write(playlist, false);
    }

    /**
     * Renders a media playlist; with {@code deltaUpdate} (a request with _HLS_skip=YES) the segments older than
     * CAN-SKIP-UNTIL are replaced by EXT-X-SKIP, when there are any. LL-HLS tags appear only when the playlist has
     * {@link MediaPlaylist#lowLatency()}; players without LL-HLS ignore them.
     */
    public static String write(MediaPlaylist playlist, boolean deltaUpdate) {
        LowLatency ll = playlist.lowLatency();
        int skipped = deltaUpdate ? playlist.skippableSegments() : 0;
        StringBuilder out = new StringBuilder(256 + 160 * playlist.segments().size());
        out.append("#EXTM3U\n");
        int version = skipped > 0 ? MediaPlaylist.DELTA_VERSION : playlist.hasGaps() ? MediaPlaylist.GAP_VERSION : MediaPlaylist.VERSION;
        out.append("#EXT-X-VERSION:").append(version).append('\n');
        out.append("#EXT-X-TARGETDURATION:").append(playlist.targetDurationSec()).append('\n');
        if (ll != null) {
            out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(seconds(ll.partHoldBackSec()))
                    .append(",CAN-SKIP-UNTIL=").append(seconds(playlist.canSkipUntilSec())).append('\n');
            out.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(ll.partTargetSec())).append('\n');
        }
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(playlist.mediaSequence()).append('\n');
        if (playlist.discontinuitySequence() > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(playlist.discontinuitySequence()).append('\n');
        }
        out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (skipped > 0) out.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        List<MediaSegment> segments = playlist.segments();
        String map = null; // EXT-X-MAP applies to every segment after it, up to the next one
        for (MediaSegment s : segments.subList(skipped, segments.size())) {
            if (s.discontinuity()) out.append("#EXT-X-DISCONTINUITY\n");
            map = map(out, map, s.mapUri());
            if (s.programDateTimeMs() > 0) {
                out.append("#EXT-X-PROGRAM-DATE-TIME:")
                        .append(PROGRAM_DATE_TIME.format(Instant.ofEpochMilli(s.programDateTimeMs()))).append('\n');
            }
            parts(out, s.parts());
            if (s.gap()) out.append("#EXT-X-GAP\n");
            out.append("#EXTINF:").append(seconds(s.durationSec())).append(",\n");
            out.append(s.uri()).append('\n');
        }
        if (ll != null) {
            if (ll.openDiscontinuity() && !ll.openParts().isEmpty()) out.append("#EXT-X-DISCONTINUITY\n");
            if (!ll.openParts().isEmpty()) map(out, map, ll.openMapUri());
            parts(out, ll.openParts());
            if (ll.preloadHintUri() != null && !playlist.ended()) {
                out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(ll.preloadHintUri()).append("\"\n");
            }
            for (RenditionReport r : ll.renditionReports()) {
                out.append("#EXT-X-RENDITION-REPORT:URI=\"").append(r.uri()).append("\",LAST-MSN=").append(r.lastMsn());
                if (r.lastPart() >= 0) out.append(",LAST-PART=").append(r.lastPart());
                out.append('\n');
            }
        }
        if (playlist.ended()) out.append("#EXT-X-ENDLIST\n");
        return out.toString();
    }

    /** Writes EXT-X-MAP when {@code wanted} differs from the one in effect; returns the one in effect after. */
    private static String map(StringBuilder out, String current, String wanted) {
        if (wanted == null || wanted.equals(current)) return current;
        out.append("#EXT-X-MAP:URI=\"").append(wanted).append("\"\n");
        return wanted;
    }

    private static void parts(StringBuilder out, List<MediaPart> parts) {
        for (MediaPart p : parts) {
            out.append("#EXT-X-PART:DURATION=").append(seconds(p.durationSec())).append(",URI=\"").append(p.uri()).append('"');
            if (p.independent()) out.append(",INDEPENDENT=YES");
            out.append('\n');
        }
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private PlaylistWriter() {}
}
