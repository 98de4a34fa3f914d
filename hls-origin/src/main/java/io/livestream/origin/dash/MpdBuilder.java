package io.livestream.origin.dash;

import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.store.RenditionInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The MPD of a stream's fMP4 renditions: per Period one video AdaptationSet with every rung as a Representation (the
 * rungs are cut at the same keyframes) and one audio AdaptationSet with the first rung's audio (every rung carries the
 * same). URIs are relative to the MPD: {@code dash/{rendition}/{video|audio}/init-{id}.mp4} and {@code .../{number}.m4s}.
 * Pure.
 */
public final class MpdBuilder {
    /** Declared for the audio Representation: the transcoder's AAC rate. */
    static final long AUDIO_BANDWIDTH = 128_000;
    /** The player's target distance from live beyond the parts it must hold: three parts plus a second. */
    static final double LATENCY_BEYOND_PARTS_SEC = 1.0;

    /**
     * One rendition as the store has it.
     *
     * @param tracksOf the tracks of an init segment by its id, null if it is gone
     */
    public record Rendition(RenditionInfo info, MediaPlaylist playlist, Function<String, List<Fmp4Tracks.Track>> tracksOf) {}

    public static Mpd build(List<Rendition> renditions, DashPeriods periods, long nowMs, String utcTimingUri) {
        if (renditions.isEmpty()) throw new IllegalArgumentException("no renditions");
        double partTarget = 0;
        double window = 0;
        double segmentSec = periods.periods().get(periods.periods().size() - 1).timeline().segmentSec();
        double maxSegment = segmentSec;
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
        List<Mpd.Period> out = new ArrayList<>();
        List<DashPeriods.Period> all = periods.periods();
        for (int k = 0; k < all.size(); k++) {
            DashPeriods.Period period = all.get(k);
            long end = k + 1 < all.size() ? all.get(k + 1).startNumber() : Long.MAX_VALUE;
            List<Mpd.AdaptationSet> sets = adaptationSets(renditions, period, end, partTarget);
            if (!sets.isEmpty()) out.add(new Mpd.Period(period.id(), period.startSec(), sets));
        }
        double latency = (partTarget > 0 ? 3 * partTarget : segmentSec) + LATENCY_BEYOND_PARTS_SEC;
        double presentation = 0;
        if (ended && lastNumber >= 0) {
            DashPeriods.Period last = periods.periodOf(lastNumber);
            presentation = last.startSec() + (lastNumber + 1 - last.startNumber()) * last.timeline().segmentSec();
        }
        return new Mpd(periods.availabilityStartTimeMs(), nowMs, ended ? 0 : Math.max(1, segmentSec), window, latency,
                Math.ceil(maxSegment * 1000) / 1000, 1, presentation, utcTimingUri, out);
    }

    /** The sets of one Period: its segments (numbers below {@code end}) decode after the init of its newest one. */
    private static List<Mpd.AdaptationSet> adaptationSets(List<Rendition> renditions, DashPeriods.Period period, long end, double partTarget) {
        DashTimeline timeline = period.timeline();
        double ato = partTarget > 0 && partTarget < timeline.segmentSec() ? timeline.segmentSec() - partTarget : 0;
        List<Mpd.Representation> video = new ArrayList<>();
        Mpd.Representation audio = null;
        for (Rendition r : renditions) {
            String initId = newestInitId(r.playlist(), period.startNumber(), end);
            List<Fmp4Tracks.Track> tracks = initId == null ? null : r.tracksOf().apply(initId);
            if (tracks == null) continue;
            for (Fmp4Tracks.Track t : tracks) {
                String dir = "dash/" + r.info().rendition() + "/" + (t.isVideo() ? "video" : "audio") + "/";
                Mpd.SegmentTemplate template = new Mpd.SegmentTemplate(t.timescale(), timeline.duration(t.timescale()), period.startNumber(),
                        period.presentationTimeOffset(t.timescale()), dir + "init-" + initId + ".mp4", dir + "$Number$.m4s", ato);
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
        return sets;
    }

    /**
     * The init of a Period's newest media (numbers from {@code from}, below {@code end}): the open segment's if it is
     * the last Period's, else its newest whole segment's; null if it has none.
     */
    public static String newestInitId(MediaPlaylist playlist, long from, long end) {
        String uri = null;
        if (end == Long.MAX_VALUE && playlist.lowLatency() != null) uri = playlist.lowLatency().openMapUri();
        for (int i = playlist.segments().size() - 1; uri == null && i >= 0; i--) {
            MediaSegment s = playlist.segments().get(i);
            if (!s.gap() && s.sequence() >= from && s.sequence() < end) uri = s.mapUri();
        }
        return uri == null ? null : initIdOf(uri);
    }

    public static String initIdOf(String initUri) {
        return initUri.substring("init-".length(), initUri.length() - ".mp4".length());
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
