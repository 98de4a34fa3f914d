package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EncodeLaneTest {
    private static Part part(int segment, int index) {
        return new Part("360p", segment, index, 0, 0.2, index == 0, new byte[0], null, null);
    }

    private static Segment segment(int index) {
        return new Segment("360p", index, 0, 1.0, new byte[0], "avc1.64001e", 640, 360, 30, 800_000, null, null);
    }

    @Test
    void aTakeStopsAtTheFirstSegmentSoTheNextSegmentsPartsWaitForTheirTurn() {
        try (EncodeLane lane = new EncodeLane("test-lane")) {
            lane.submit(() -> {
                lane.publish(part(0, 0));
                lane.publish(part(0, 1));
                lane.publish(segment(0));
                lane.publish(part(1, 0));
                lane.publish(segment(1));
            });
            lane.awaitIdle();
            List<Part> parts = new ArrayList<>();
            List<Segment> segments = new ArrayList<>();
            lane.takeCompleted(parts, segments);
            assertThat(parts).extracting(Part::segmentIndex, Part::partIndex).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, 0), org.assertj.core.groups.Tuple.tuple(0, 1));
            assertThat(segments).extracting(Segment::index).containsExactly(0);
            assertThat(lane.hasCompleted()).isTrue();
            lane.takeCompleted(parts, segments);
            assertThat(parts).hasSize(3);
            assertThat(segments).extracting(Segment::index).containsExactly(0, 1);
            assertThat(lane.hasCompleted()).isFalse();
        }
    }

    @Test
    void whatTheWorkOwnsIsReleasedOnceWhetherItRanFailedWasRefusedOrNeverRan() throws Exception {
        AtomicInteger afterWork = new AtomicInteger(), afterFailure = new AtomicInteger(), refused = new AtomicInteger();
        AtomicInteger neverRan = new AtomicInteger();
        CountDownLatch hold = new CountDownLatch(1);
        EncodeLane lane = new EncodeLane("test-lane");
        lane.submit(() -> {}, afterWork::incrementAndGet);
        lane.submit(() -> { throw new MediaException("broken frame"); }, afterFailure::incrementAndGet);
        org.assertj.core.api.Assertions.assertThatThrownBy(lane::awaitIdle).isInstanceOf(MediaException.class);
        lane.submit(() -> awaitQuietly(hold), () -> {});
        for (int i = 0; i < 3; i++) lane.submit(() -> {}, neverRan::incrementAndGet); // queued behind the held work
        lane.close(); // interrupts the held work; the three behind it never run
        hold.countDown();
        // a closed lane refuses work: what it would have owned is released at once
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lane.submit(() -> {}, refused::incrementAndGet))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThat(afterWork).hasValue(1);
        assertThat(afterFailure).hasValue(1);
        assertThat(refused).hasValue(1);
        assertThat(neverRan).hasValue(3);
    }

    @Test
    void theCallerWaitsOnceTheLaneIsMaxQueuedBehindAndWorkRunsInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger submitted = new AtomicInteger();
        try (EncodeLane lane = new EncodeLane("test-lane")) {
            Thread caller = new Thread(() -> {
                for (int i = 0; i < EncodeLane.MAX_QUEUED + 5; i++) {
                    int n = i;
                    lane.submit(() -> {
                        if (n == 0) awaitQuietly(release);
                        ran.add(n);
                    });
                    submitted.incrementAndGet();
                }
            });
            caller.start();
            Thread.sleep(300);
            assertThat(submitted.get()).as("held at the bound while the lane is stuck").isEqualTo(EncodeLane.MAX_QUEUED);
            release.countDown();
            caller.join(5000);
            assertThat(submitted.get()).isEqualTo(EncodeLane.MAX_QUEUED + 5);
            lane.awaitIdle();
            assertThat(ran).isSorted().hasSize(EncodeLane.MAX_QUEUED + 5);
        }
    }

    @Test
    void aFailureOfEarlierWorkSurfacesAtTheCallersNextCall() {
        try (EncodeLane lane = new EncodeLane("test-lane")) {
            lane.submit(() -> {
                throw new MediaException("libx264 said no");
            });
            assertThatThrownBy(lane::awaitIdle).isInstanceOf(MediaException.class).hasMessage("libx264 said no");
            lane.submit(() -> {
                throw new MediaException("again");
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            assertThatThrownBy(() -> {
                while (System.nanoTime() < deadline) {
                    lane.takeCompleted(new ArrayList<>(), new ArrayList<>());
                    Thread.sleep(10);
                }
            }).isInstanceOf(MediaException.class).hasMessage("again");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
