package io.livestream.common.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedExecutorTest {
    @Test
    void refusesAtOnceWhenEveryThreadIsBusyAndTheQueueIsFull() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        try (BoundedExecutor executor = new BoundedExecutor("bounded-test", 1, 1)) {
            executor.execute(() -> {
                running.countDown();
                await(release);
                done.countDown();
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            executor.execute(done::countDown);
            assertThat(executor.queued()).isEqualTo(1);
            // refused at once, not after waiting for room: nothing can finish before release (a waiting executor hangs)
            assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                    assertThatThrownBy(() -> executor.execute(() -> {})).isInstanceOf(RejectedExecutionException.class));
            assertThat(done.getCount()).as("neither accepted task ran while the third was refused").isEqualTo(2);
            release.countDown();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
