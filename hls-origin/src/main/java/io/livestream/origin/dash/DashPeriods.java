package io.livestream.origin.dash;

import io.livestream.origin.playlist.MediaSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The Periods of a stream's MPD. {@code availabilityStartTime} must not change over MPD updates (ISO/IEC 23009-1,
 * and dash.js does not follow when it does), so where the segments' wall clock stops agreeing with the numbering (a new
 * session after a pause, a clock step) a new Period starts at that segment's number, placed by its own
 * {@link DashTimeline}; the segments' decode times are number-based in every Period, each Period's
 * presentationTimeOffset is its first number's time. Periods whose segments all left the window are dropped. Pure.
 *
 * @param availabilityStartTimeMs the first Period's start time, kept for the stream's life on this origin
 * @param periods oldest first; the first starts at 0
 */
public record DashPeriods(long availabilityStartTimeMs, List<Period> periods) {
    public DashPeriods {
        periods = List.copyOf(periods);
        if (periods.isEmpty()) throw new IllegalArgumentException("no period");
    }

    /**
     * Segments from {@code startNumber} on, placed by {@code timeline}.
     *
     * @param startSec where the Period starts after the availability start time
     */
    public record Period(long startNumber, double startSec, DashTimeline timeline) {
        public String id() {
            return "p" + startNumber;
        }

        /** The decode time of the Period's first segment, in a track's timescale (its presentationTimeOffset). */
        public long presentationTimeOffset(long timescale) {
            return startNumber * timeline.duration(timescale);
        }
    }

    /** One Period from 0, placed by {@code timeline}. */
    public static DashPeriods of(DashTimeline timeline) {
        return new DashPeriods(timeline.availabilityStartTimeMs(), List.of(new Period(0, 0, timeline)));
    }

    /**
     * These Periods given a fresh timeline of the window: the same while it agrees with the last Period's (see
     * {@link DashTimeline#keepOr}), else with a new Period from the first segment of the newest run that agrees with it;
     * without the Periods that ended before the window's first segment.
     */
    public DashPeriods update(List<MediaSegment> window, DashTimeline fresh) {
        Period last = periods.get(periods.size() - 1);
        List<Period> next = new ArrayList<>(periods);
        if (last.timeline().keepOr(fresh) != last.timeline()) {
            long from = firstAgreeing(window, fresh);
            if (from > last.startNumber()) {
                double wallClockStart = (fresh.availabilityStartTimeMs() - availabilityStartTimeMs) / 1000.0 + from * fresh.segmentSec();
                // never before the last Period's own segments end (a clock that stepped back): the Period follows them
                double lastEnd = last.startSec() + (from - last.startNumber()) * last.timeline().segmentSec();
                next.add(new Period(from, Math.max(wallClockStart, lastEnd), fresh));
            } else {
                return of(fresh); // the whole window disagrees with the Period it had: nothing of that to keep
            }
        }
        long firstListed = window.isEmpty() ? Long.MIN_VALUE : window.get(0).sequence();
        while (next.size() > 1 && next.get(1).startNumber() <= firstListed) next.remove(0);
        return next.equals(periods) ? this : new DashPeriods(availabilityStartTimeMs, next);
    }

    /** The Period segment {@code number} is in. */
    public Period periodOf(long number) {
        Period found = periods.get(0);
        for (Period p : periods) if (p.startNumber() <= number) found = p;
        return found;
    }

    /** The first segment of the window's newest run whose wall clock agrees with {@code fresh}. */
    private static long firstAgreeing(List<MediaSegment> window, DashTimeline fresh) {
        long first = Long.MAX_VALUE;
        for (int i = window.size() - 1; i >= 0; i--) {
            MediaSegment s = window.get(i);
            if (s.gap() || s.programDateTimeMs() <= 0) continue;
            long anchor = s.programDateTimeMs() - Math.round(s.sequence() * fresh.segmentSec() * 1000);
            if (Math.abs(anchor - fresh.availabilityStartTimeMs()) > DashTimeline.REANCHOR_MS) break;
            first = s.sequence();
        }
        return first == Long.MAX_VALUE ? window.get(window.size() - 1).sequence() : first;
    }
}
