package io.livestream.origin.playlist;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
        StringBuilder out = new StringBuilder(128 + 96 * playlist.segments().size());
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(MediaPlaylist.VERSION).append('\n');
        out.append("#EXT-X-TARGETDURATION:").append(playlist.targetDurationSec()).append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(playlist.mediaSequence()).append('\n');
        if (playlist.discontinuitySequence() > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(playlist.discontinuitySequence()).append('\n');
        }
        out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (MediaSegment s : playlist.segments()) {
            if (s.discontinuity()) out.append("#EXT-X-DISCONTINUITY\n");
            if (s.programDateTimeMs() > 0) {
                out.append("#EXT-X-PROGRAM-DATE-TIME:")
                        .append(PROGRAM_DATE_TIME.format(Instant.ofEpochMilli(s.programDateTimeMs()))).append('\n');
            }
            out.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.durationSec())).append(",\n");
            out.append(s.uri()).append('\n');
        }
        if (playlist.ended()) out.append("#EXT-X-ENDLIST\n");
        return out.toString();
    }

    private PlaylistWriter() {}
}
