package io.livestream.origin.dash;

import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.store.RenditionInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MPD of a stream's fMP4 renditions: one video AdaptationSet with every rung as a Representation (the rungs are
 * cut at the same keyframes) and one audio AdaptationSet with the first rung's audio (every rung carries the same).
 * URIs are relative to the MPD: {@code dash/{rendition}/{video|audio}/init-{id}.mp4} and {@code .../{number}.m4s}. Pure.
 */
public final class MpdBuilder {
    /** Declared for the audio Representation: the transcoder's AAC rate. */
    static final long AUDIO_BANDWIDTH = 128_000;
    /** The player's target distance from live beyond the parts it must hold: three parts plus a second. */
    static final double LATENCY_BEYOND_PARTS_SEC = 1.0;

    /** One rendition as the store has it, with the tracks of its current init. */
    public record Rendition(RenditionInfo info, MediaPlaylist playlist, String initId, List<Fmp4Tracks.Track> tracks) {}

    public static Mpd build(List<Rendition> renditions, DashTimeline timeline, long nowMs, String utcTimingUri) {
        if (renditions.isEmpty()) throw new IllegalArgumentException("no renditions");
        List<Mpd.Representation> video = new ArrayList<>();
        Mpd.Representation audio = null;
        double partTarget = 0;
        double window = 0;
        double maxSegment = timeline.segmentSec();
        boolean ended = true;
        long lastNumber = -1;
        for (Rendition r : renditions) {
            MediaPlaylist p = r.playlist();
            if (p.lowLatency() != null) partTarget = Math.max(partTarget, p.lowLatency().partTargetSec());
            double listed = 0;
            for (MediaSegment s : p.segments()) {
                listed += s.durationSec();
                maxSegment = Math.max(maxSegment, s.durationSec());
                lastNumber = Math.max(lastNumber, s.sequence());
            }
            window = Math.max(window, listed);
            ended &= p.ended();
        }
        double ato = partTarget > 0 && partTarget < timeline.segmentSec() ? timeline.segmentSec() - partTarget : 0;
        for (Rendition r : renditions) {
            for (Fmp4Tracks.Track t : r.tracks()) {
                String dir = "dash/" + r.info().rendition() + "/" + (t.isVideo() ? "video" : "audio") + "/";
                Mpd.SegmentTemplate template = new Mpd.SegmentTemplate(t.timescale(), timeline.duration(t.timescale()), 0,
                        dir + "init-" + r.initId() + ".mp4", dir + "$Number$.m4s", ato);
                if (t.isVideo()) {
                    RenditionInfo i = r.info();
                    video.add(new Mpd.Representation(i.rendition(), codecs(i.codecs(), false), i.bandwidth(), i.width(), i.height(),
                            i.frameRate(), 0, template));
                } else if (t.isAudio() && audio == null) {
                    audio = new Mpd.Representation("audio", codecs(r.info().codecs(), true), AUDIO_BANDWIDTH, 0, 0, 0, t.timescale(), template);
                }
            }
        }
        List<Mpd.AdaptationSet> sets = new ArrayList<>();
        if (!video.isEmpty()) sets.add(new Mpd.AdaptationSet(0, "video", "video/mp4", video));
        if (audio != null) sets.add(new Mpd.AdaptationSet(1, "audio", "audio/mp4", List.of(audio)));
        double latency = (partTarget > 0 ? 3 * partTarget : timeline.segmentSec()) + LATENCY_BEYOND_PARTS_SEC;
        double presentation = ended && lastNumber >= 0 ? (lastNumber + 1) * timeline.segmentSec() : 0;
        return new Mpd(timeline.availabilityStartTimeMs(), nowMs, ended ? 0 : Math.max(1, timeline.segmentSec()), window, latency,
                Math.ceil(maxSegment * 1000) / 1000, 1, presentation, utcTimingUri, sets);
    }

    /** The video or the audio half of an HLS CODECS list ("avc1.64001f,mp4a.40.2"), or null if it has none. */
    static String codecs(String hlsCodecs, boolean audio) {
        if (hlsCodecs == null) return null;
        List<String> matching = Arrays.stream(hlsCodecs.split(",")).map(String::trim)
                .filter(c -> isAudioCodec(c) == audio && !c.isEmpty()).toList();
        return matching.isEmpty() ? null : String.join(",", matching);
    }

    private static boolean isAudioCodec(String codec) {
        return codec.startsWith("mp4a") || codec.startsWith("opus") || codec.startsWith("ac-3") || codec.startsWith("ec-3") || codec.startsWith("fLaC");
    }

    private MpdBuilder() {}
}
