package io.livestream.origin.dash;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.playlist.MediaSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashPeriodsTest {
    static final long T0 = 1_795_000_000_000L;

    private static MediaSegment segment(long n, long wallClock) {
        return new MediaSegment(n, 1.0, wallClock, false, n + ".m4s", List.of(), "init-a.mp4", false);
    }

    @Test
    void aSessionAfterAPauseGetsAPeriodFromItsFirstSegmentAndTheStartTimeStays() {
        List<MediaSegment> window = new ArrayList<>();
        for (long n = 0; n < 5; n++) window.add(segment(n, T0 + n * 1000));
        DashPeriods periods = DashPeriods.of(DashTimeline.of(window).orElseThrow());
        assertThat(periods.update(window, DashTimeline.of(window).orElseThrow())).isSameAs(periods);
        // the publisher was away 10 s; the next session's segments are numbered on from 5
        for (long n = 5; n < 8; n++) window.add(segment(n, T0 + 10_000 + n * 1000));
        DashPeriods after = periods.update(window, DashTimeline.of(window).orElseThrow());
        assertThat(after.availabilityStartTimeMs()).isEqualTo(T0);
        assertThat(after.periods()).extracting(DashPeriods.Period::startNumber).containsExactly(0L, 5L);
        DashPeriods.Period second = after.periods().get(1);
        assertThat(second.startSec()).as("segment 5's wall clock, from the start time").isEqualTo(15.0);
        assertThat(second.presentationTimeOffset(90_000)).isEqualTo(5 * 90_000);
        assertThat(after.periodOf(4).startNumber()).isZero();
        assertThat(after.periodOf(6)).isEqualTo(second);
        assertThat(after.update(window, DashTimeline.of(window).orElseThrow())).as("stable").isEqualTo(after);
        // once the first session's segments left the window, its Period goes
        List<MediaSegment> later = new ArrayList<>(window.subList(5, 8));
        assertThat(after.update(later, DashTimeline.of(later).orElseThrow()).periods()).containsExactly(second);
    }

    @Test
    void aClockThatSteppedBackStartsThePeriodWhereTheLastOnesSegmentsEnd() {
        List<MediaSegment> window = new ArrayList<>();
        for (long n = 0; n < 5; n++) window.add(segment(n, T0 + n * 1000));
        DashPeriods periods = DashPeriods.of(DashTimeline.of(window).orElseThrow());
        for (long n = 5; n < 8; n++) window.add(segment(n, T0 - 3_000 + n * 1000));
        DashPeriods after = periods.update(window, DashTimeline.of(window).orElseThrow());
        assertThat(after.periods().get(1).startNumber()).isEqualTo(5);
        assertThat(after.periods().get(1).startSec()).isEqualTo(5.0);
    }
}
