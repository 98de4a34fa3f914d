package io.livestream.jobs.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.util.ParameterTool;

/**
 * How every job checkpoints and restarts, in every deployment shape: every {@code --checkpoint-interval-ms}
 * (default {@value #DEFAULT_INTERVAL_MS}) to {@code <--checkpoint-dir>/<job name>}, incremental where the state
 * backend can, retained when the job is cancelled or its process dies (so the next start restores state and Kafka
 * offsets together), and an exponential-delay restart strategy for task failures.
 */
public final class JobCheckpointing {
    public static final long DEFAULT_INTERVAL_MS = 3_000;
    public static final String DEFAULT_DIR = "file:///tmp/livestream-checkpoints";
    static final Duration RESTART_BACKOFF_RESET = Duration.ofSeconds(30);

    /**
     * Which job restarts first when a TaskManager is lost and every job restores on the survivor at once. On the
     * one-machine cluster the four restores took the same two cores: the cold survivor needed 3.5 s to initialize
     * them, all the while the transcode job, the one viewers wait for, was one of four. The others wait until it
     * has restored; what they do (lifecycle, chat rules, viewer counts) takes a few seconds' delay without loss.
     */
    public enum RestoreOrder {
        /** Restarts 0.5 s after a failure, at most 2 s while failures repeat. */
        FIRST(Duration.ofMillis(500), Duration.ofSeconds(2)),
        /** Restarts 3 s after a failure (a restore of the first takes 1.5-3.5 s here), at most 4 s. */
        AFTER_FIRST(Duration.ofSeconds(3), Duration.ofSeconds(4));

        final Duration initialBackoff;
        final Duration maxBackoff;

        RestoreOrder(Duration initialBackoff, Duration maxBackoff) {
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
        }
    }

    /** Adds the checkpoint and restart settings for {@code jobName} to {@code config} and returns it. */
    public static Configuration configure(Configuration config, ParameterTool params, String jobName, RestoreOrder order) {
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(params.getLong("checkpoint-interval-ms", DEFAULT_INTERVAL_MS)));
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, jobDirectory(params.get("checkpoint-dir", DEFAULT_DIR), jobName));
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // a checkpoint that cannot finish must not hold the next ones back for the 10 min default
        config.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(1));
        config.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 5);
        // The job's restart strategy replaces the cluster's as a whole (unset keys take Flink's defaults, not the
        // cluster's): with the default reset threshold of an hour, every failover of a day's faults made the next
        // restart wait longer, up to the cap (a TaskManager kill stalled playback 6 s, then 14, 16, 18 s). A live
        // stream wants a bounded wait: at most the order's cap while failures repeat, back to the first after
        // half a minute of running.
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, order.initialBackoff);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, order.maxBackoff);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, RESTART_BACKOFF_RESET);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        return config;
    }

    /** Makes the job start from {@code checkpoint} (its directory), as {@code flink run -s} would. */
    public static Configuration restoreFrom(Configuration config, RetainedCheckpoints.Checkpoint checkpoint) {
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.directory().toUri().toString());
        return config;
    }

    /** The directory a job's checkpoints go to: {@code <dir>/<job name>}. */
    public static String jobDirectory(String checkpointDir, String jobName) {
        return checkpointDir.replaceAll("/+$", "") + "/" + jobName;
    }

    /** The job's retained checkpoint to restore from, when its checkpoint directory is a local one. */
    public static Optional<RetainedCheckpoints.Checkpoint> latestLocal(String checkpointDir, String jobName) {
        String dir = jobDirectory(checkpointDir, jobName);
        if (!dir.startsWith("file:")) return Optional.empty();
        return RetainedCheckpoints.latest(Path.of(java.net.URI.create(dir)));
    }

    private JobCheckpointing() {}
}
