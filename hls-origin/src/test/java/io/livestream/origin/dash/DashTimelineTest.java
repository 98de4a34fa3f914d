package io.livestream.origin.dash;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.playlist.MediaSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashTimelineTest {
    static final long T0 = 1_795_000_000_000L;

    private static MediaSegment segment(long n, double duration, long wallClock, boolean gap) {
        return new MediaSegment(n, duration, wallClock, false, n + ".m4s", List.of(), gap ? null : "init-a.mp4", gap);
    }

    @Test
    void theSegmentDurationIsTheWindowsMedianAndSegmentZeroStartsAtTheNewestWallClockLessItsNumber() {
        List<MediaSegment> window = List.of(segment(40, 1.001, T0 + 40_000, false), segment(41, 0.4, T0 + 41_001, false),
                segment(42, 1.001, 0, true), segment(43, 1.001, T0 + 43_003, false));
        DashTimeline timeline = DashTimeline.of(window).orElseThrow();
        assertThat(timeline.segmentSec()).isEqualTo(1.001);
        assertThat(timeline.availabilityStartTimeMs()).isEqualTo(T0 + 43_003 - 43_043);
        assertThat(timeline.duration(90_000)).isEqualTo(90_090);
        assertThat(DashTimeline.of(List.of(segment(3, 1, 0, true)))).isEmpty();
    }

    @Test
    void theStartIsTheMedianOfTheNewestSessionsSegmentsSoOneLateSegmentMovesNothing() {
        List<MediaSegment> window = List.of(segment(10, 1, T0 - 30_000 + 10_000, false), // an older session, 30 s earlier
                segment(20, 1, T0 + 20_000, false), segment(21, 1, T0 + 21_000, false), segment(22, 1, T0 + 22_300, false));
        assertThat(DashTimeline.of(window).orElseThrow().availabilityStartTimeMs()).isEqualTo(T0);
    }

    @Test
    void theStartTimeStaysPutThroughWallClockJitterAndMovesForANewSession() {
        DashTimeline kept = new DashTimeline(T0, 1.0);
        assertThat(kept.keepOr(new DashTimeline(T0 + 40, 1.0))).isSameAs(kept);
        assertThat(kept.keepOr(new DashTimeline(T0 - 400, 1.0))).isSameAs(kept);
        assertThat(kept.keepOr(new DashTimeline(T0 + 5_000, 1.0))).isEqualTo(new DashTimeline(T0 + 5_000, 1.0));
        assertThat(kept.keepOr(new DashTimeline(T0, 2.0))).isEqualTo(new DashTimeline(T0, 2.0));
    }

    @Test
    void aSegmentsDecodeTimesAreShiftedToStartAtItsNumber() {
        DashTimeline timeline = new DashTimeline(T0, 1.0);
        assertThat(timeline.decodeTimeShift(7, 90_000, 123_456)).isEqualTo(7 * 90_000 - 123_456);
        assertThat(7 * 90_000 - 123_456 + 123_456L).isEqualTo(630_000);
    }
}
