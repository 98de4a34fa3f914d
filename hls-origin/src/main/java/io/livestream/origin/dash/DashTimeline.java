package io.livestream.origin.dash;

import io.livestream.origin.playlist.MediaSegment;
import java.util.List;
import java.util.Optional;

/**
 * Where the DASH presentation puts each segment: number N (the origin's media sequence number, the same on every
 * origin) covers {@code [N, N+1) * segmentSec} after the availability start time, as SegmentTemplate with
 * {@code $Number$} and one duration says. The segments are GOPs, so their real durations vary a little (and a new
 * session restarts the media clock): the origin rewrites each segment's decode times to start at {@code N * segmentSec}
 * (keeping its audio's offset from its video), so the number alone places it, whatever came before. Pure.
 *
 * @param availabilityStartTimeMs the wall clock at the start of segment 0: a segment's program date-time minus
 *     {@code N * segmentSec} (the median over the newest session's segments)
 * @param segmentSec the nominal segment duration: the median of the window's, to the millisecond
 */
public record DashTimeline(long availabilityStartTimeMs, double segmentSec) {
    /** How far a fresh anchor may drift from the one in use before it replaces it (a new session, a clock step). */
    static final long REANCHOR_MS = 500;

    /** The timeline of a window's whole segments (gaps and segments without a wall clock are skipped); empty if none. */
    public static Optional<DashTimeline> of(List<MediaSegment> segments) {
        List<MediaSegment> timed = segments.stream().filter(s -> !s.gap() && s.programDateTimeMs() > 0 && s.durationSec() > 0).toList();
        if (timed.isEmpty()) return Optional.empty();
        double[] durations = timed.stream().mapToDouble(MediaSegment::durationSec).sorted().toArray();
        double segmentSec = Math.round(durations[durations.length / 2] * 1000) / 1000.0;
        if (segmentSec <= 0) return Optional.empty();
        // each segment's idea of the start; the median of those agreeing with the newest (its session), so that one
        // late segment moves nothing and two origins holding the same window agree
        long[] anchors = timed.stream().mapToLong(s -> s.programDateTimeMs() - Math.round(s.sequence() * segmentSec * 1000)).toArray();
        long newest = anchors[anchors.length - 1];
        long[] agreeing = java.util.Arrays.stream(anchors).filter(a -> Math.abs(a - newest) <= REANCHOR_MS).sorted().toArray();
        return Optional.of(new DashTimeline(agreeing[agreeing.length / 2], segmentSec));
    }

    /**
     * The timeline to keep using given a fresh one: this one while the fresh one agrees (wall clocks jitter by tens of
     * milliseconds from segment to segment, and a player must not see the start time move with them), else the fresh one.
     */
    public DashTimeline keepOr(DashTimeline fresh) {
        boolean sameDuration = Math.abs(fresh.segmentSec - segmentSec) < 0.0005;
        return sameDuration && Math.abs(fresh.availabilityStartTimeMs - availabilityStartTimeMs) <= REANCHOR_MS ? this : fresh;
    }

    /** A segment's duration in a track's timescale. */
    public long duration(long timescale) {
        return Math.round(segmentSec * timescale);
    }

    /**
     * What to add to a segment's decode times (in the track's {@code timescale}) so that it starts at its number.
     *
     * @param segmentStart the segment's start in that timescale: its video's first decode time, converted for audio
     */
    public long decodeTimeShift(long number, long timescale, long segmentStart) {
        return number * duration(timescale) - segmentStart;
    }
}
