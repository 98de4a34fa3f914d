package io.livestream.devstack.cluster;

import io.livestream.common.registry.StreamRegistry;
import io.livestream.jobs.AudienceJob;
import io.livestream.jobs.ChatJob;
import io.livestream.jobs.HealthJob;
import io.livestream.jobs.TranscodeJob;
import java.util.List;

/**
 * The four jobs as the cluster submits them: the entry classes of deploy/flink/submit-jobs.sh, and, as the dev stack
 * gives them, one set of arguments every job reads what it needs from.
 */
public final class ClusterJobs {
    /** A small ladder so two cores keep up with a dozen processes: the source and one really encoded rung. */
    public static final String DEFAULT_LADDER = "source,360p:800";

    public record Job(String name, String entryClass, List<String> programArgs) {}

    private ClusterJobs() {}

    public static List<Job> all(ClusterLayout layout, String ladder, String preset) {
        String grace = String.valueOf(StreamRegistry.DEFAULT_RECONNECT_GRACE_MS);
        List<String> args = List.of("--bootstrap", ClusterLayout.bootstrapServers(), "--redis", ClusterLayout.redisUri(),
                "--key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX, "--ladder", ladder, "--preset", preset,
                // the transcoder ends a session's playlists (ENDLIST) only once the reconnect grace is over
                "--idle-timeout-ms", grace, "--reconnect-grace-ms", grace,
                "--checkpoint-dir", checkpointDir(layout),
                "--checkpoint-interval-ms", String.valueOf(FlinkClusterConfig.CHECKPOINT_INTERVAL_MS));
        return List.of(new Job(TranscodeJob.JOB_NAME, TranscodeJob.class.getName(), args),
                new Job(HealthJob.JOB_NAME, HealthJob.class.getName(), args),
                new Job(ChatJob.JOB_NAME, ChatJob.class.getName(), args),
                new Job(AudienceJob.JOB_NAME, AudienceJob.class.getName(), args));
    }

    /** The shared checkpoint directory; each job writes under {@code <dir>/<job name>} (JobCheckpointing). */
    static String checkpointDir(ClusterLayout layout) {
        return layout.checkpoints().toUri().toString();
    }
}
