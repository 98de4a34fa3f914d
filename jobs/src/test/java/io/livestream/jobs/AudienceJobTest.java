package io.livestream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.livestream.common.audience.ViewerCount;
import io.livestream.common.audience.ViewerHeartbeat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tier 3: the audience job on a MiniCluster with synthetic heartbeats in event time: 10,000 viewers counted exactly,
 * 200,000 within 2 %, a viewer who stops heartbeating gone 30 s later, and a zero when everyone has left.
 */
class AudienceJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final long T0 = 1_700_000_000_000L; // a multiple of 5 s, so windows start on it

    @Test
    void countsDistinctViewersPerSlidingWindow() throws Exception {
        List<ViewerHeartbeat> beats = new ArrayList<>();
        // 10,000 viewers, each twice (different renditions for half of them): exact
        for (int i = 0; i < 10_000; i++) {
            beats.add(ViewerHeartbeat.of("ten-k", "v" + i, i % 2 == 0 ? "720p" : "360p", T0 + i % 4_000, "origin"));
            beats.add(ViewerHeartbeat.of("ten-k", "v" + i, "720p", T0 + 4_000 + i % 900, "origin"));
        }
        // 200,000 viewers once each inside the first 5 s: the HLL sketch's estimate
        for (int i = 0; i < 200_000; i++) beats.add(ViewerHeartbeat.of("two-hundred-k", "viewer-" + i, "source", T0 + i % 5_000, "origin"));
        // "stay" heartbeats every 5 s for a minute; "leave" stops after its heartbeat at +10 s
        for (long t = 0; t <= 60_000; t += 5_000) {
            beats.add(ViewerHeartbeat.of("churn", "stay", null, T0 + t, "player"));
            if (t <= 10_000) beats.add(ViewerHeartbeat.of("churn", "leave", null, T0 + t, "player"));
        }
        beats.sort(Comparator.comparingLong(ViewerHeartbeat::at));
        ViewerHeartbeat last = ViewerHeartbeat.of("churn", "stay", null, T0 + 60_000, "player");
        CollectingSink<ViewerCount> sink = new CollectingSink<>("audience-job-test");

        new AudienceJob(ListSource.of("audience-job-test", beats, last, 0, TypeInformation.of(ViewerHeartbeat.class)), sink, null).execute();
        List<ViewerCount> counts = sink.collected();

        ViewerCount tenK = window(counts, "ten-k", T0 + 30_000).orElseThrow();
        assertThat(tenK.count()).isEqualTo(10_000);
        assertThat(tenK.exact()).isTrue();
        assertThat(tenK.byRendition()).isEqualTo(Map.of("720p", 10_000L, "360p", 5_000L));
        assertThat(window(counts, "ten-k", T0 + 5_000).orElseThrow().count()).as("[-25 s, +5 s)").isEqualTo(10_000);

        ViewerCount big = window(counts, "two-hundred-k", T0 + 30_000).orElseThrow();
        assertThat(big.exact()).isFalse();
        assertThat((double) big.count()).isCloseTo(200_000, within(4_000.0));
        assertThat((double) big.byRendition().get("source")).isCloseTo(200_000, within(4_000.0));

        assertThat(window(counts, "churn", T0 + 40_000).orElseThrow().count()).as("[+10 s, +40 s) still holds leave's last beat").isEqualTo(2);
        assertThat(window(counts, "churn", T0 + 45_000).orElseThrow().count()).as("30 s after its last beat it is gone").isEqualTo(1);
        assertThat(window(counts, "churn", T0 + 90_000).orElseThrow().count()).isEqualTo(1);
        ViewerCount gone = window(counts, "churn", T0 + 95_000).orElseThrow();
        assertThat(gone.count()).as("a zero once nobody is left").isZero();
        assertThat(counts.stream().filter(c -> c.streamId().equals("churn")).mapToLong(ViewerCount::windowEnd).max().orElseThrow())
                .isEqualTo(T0 + 95_000);
    }

    static Optional<ViewerCount> window(List<ViewerCount> counts, String stream, long end) {
        return counts.stream().filter(c -> c.streamId().equals(stream) && c.windowEnd() == end).findFirst();
    }
}
