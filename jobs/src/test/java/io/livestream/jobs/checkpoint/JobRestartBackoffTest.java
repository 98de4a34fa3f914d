package io.livestream.jobs.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategy;
import org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategyFactoryLoader;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.Test;

/**
 * The restart wait a job gets from Flink's own strategy loader, given the job's configuration and a cluster that
 * says otherwise: the job's settings win, and repeated failures never make a live stream wait more than 2 s.
 */
class JobRestartBackoffTest {
    @Test
    void repeatedFailuresWaitAtMostTwoSecondsWhateverTheClusterSays() throws InterruptedException {
        List<Long> waits = waitsOfFiveFailures(JobCheckpointing.RestoreOrder.FIRST);
        // jitter is ±10 % by default
        assertThat(waits.get(0)).isBetween(400L, 600L);
        assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(2_200L));
        assertThat(waits.get(4)).as("grown to the cap").isGreaterThan(1_500L);
    }

    @Test
    void theOtherJobsRestartAfterTheFirstHasRestored() throws InterruptedException {
        List<Long> waits = waitsOfFiveFailures(JobCheckpointing.RestoreOrder.AFTER_FIRST);
        assertThat(waits.get(0)).isBetween(2_700L, 3_300L);
        assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(4_400L));
    }

    private static List<Long> waitsOfFiveFailures(JobCheckpointing.RestoreOrder order) throws InterruptedException {
        Configuration job = JobCheckpointing.configure(new Configuration(), ParameterTool.fromArgs(new String[0]), "job", order);
        Configuration cluster = new Configuration();
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, java.time.Duration.ofMinutes(5));
        RestartBackoffTimeStrategy strategy =
                RestartBackoffTimeStrategyFactoryLoader.createRestartBackoffTimeStrategyFactory(job, cluster, true).create();

        List<Long> waits = new ArrayList<>();
        for (int failure = 0; failure < 5; failure++) {
            strategy.notifyFailure(new RuntimeException("TaskManager lost"));
            assertThat(strategy.canRestart()).isTrue();
            long wait = strategy.getBackoffTime();
            waits.add(wait);
            Thread.sleep(wait + 20); // the restart happens; the next failure comes after it (else Flink merges them)
        }
        return waits;
    }
}
