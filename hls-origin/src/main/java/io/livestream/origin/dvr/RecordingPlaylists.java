package io.livestream.origin.dvr;

import io.livestream.origin.playlist.MasterPlaylist;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.playlist.PlaylistWriter;
import io.livestream.origin.playlist.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Playlists of recordings, pure: a session as VOD (or EVENT while it is still being written) and the live DVR
 * window. Segments are numbered by their position in the recording, so the implicit numbering stays stable as a
 * DVR window slides, whatever gaps the transcoder's sequence numbers have.
 */
public final class RecordingPlaylists {
    /** A master playlist over the session's renditions; {@code peakBandwidth} is measured per rendition. */
    public static String master(SessionManifest m, java.util.function.ToLongFunction<String> peakBandwidth) {
        List<Variant> variants = new ArrayList<>();
        m.renditions().forEach((name, meta) -> variants.add(new Variant(name + "/index.m3u8",
                Math.max(Math.max(meta.bandwidth(), peakBandwidth.applyAsLong(name)), 1), 0,
                meta.width(), meta.height(), meta.frameRate(), meta.codecs())));
        return PlaylistWriter.write(new MasterPlaylist(variants));
    }

    /** The whole session: VOD with ENDLIST once complete, EVENT (growing, no ENDLIST) before. */
    public static String session(List<RecordedSegment> segments, boolean complete, LongFunction<String> uri) {
        String text = PlaylistWriter.write(new MediaPlaylist(0, 0, lines(segments, 0, uri), complete));
        return withPlaylistType(text, complete ? "VOD" : "EVENT");
    }

    /** The last {@code windowSec} seconds of the session, sliding while live. */
    public static String dvrWindow(List<RecordedSegment> segments, double windowSec, boolean complete, LongFunction<String> uri) {
        int first = segments.size();
        double seconds = 0;
        while (first > 0 && seconds + segments.get(first - 1).durationSec() <= windowSec) {
            first--;
            seconds += segments.get(first).durationSec();
        }
        if (first == segments.size() && first > 0) first--; // always at least the newest segment
        long droppedDiscontinuities = 0;
        for (int i = 1; i <= first && i < segments.size(); i++) if (discontinuityBefore(segments, i)) droppedDiscontinuities++;
        return PlaylistWriter.write(new MediaPlaylist(first, droppedDiscontinuities, lines(segments, first, uri), complete));
    }

    private static List<MediaSegment> lines(List<RecordedSegment> segments, int from, LongFunction<String> uri) {
        List<MediaSegment> lines = new ArrayList<>(segments.size() - from);
        for (int i = from; i < segments.size(); i++) {
            RecordedSegment s = segments.get(i);
            lines.add(new MediaSegment(i, s.durationSec(), s.wallClockMs(), i > from && discontinuityBefore(segments, i), uri.apply(s.sequence())));
        }
        return lines;
    }

    /** A transcoder restart (flagged) or a lost GOP (a gap in its numbering) breaks the timeline before segment i. */
    static boolean discontinuityBefore(List<RecordedSegment> segments, int i) {
        return i > 0 && (segments.get(i).discontinuity() || segments.get(i).sequence() != segments.get(i - 1).sequence() + 1);
    }

    private static String withPlaylistType(String playlist, String type) {
        int afterVersion = playlist.indexOf('\n', playlist.indexOf("#EXT-X-VERSION:")) + 1;
        return playlist.substring(0, afterVersion) + "#EXT-X-PLAYLIST-TYPE:" + type + "\n" + playlist.substring(afterVersion);
    }

    private RecordingPlaylists() {}
}
