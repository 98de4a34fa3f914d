package io.livestream.devstack.cluster;

import io.livestream.jobs.checkpoint.JobCheckpointing;
import io.livestream.jobs.checkpoint.RetainedCheckpoints;
import java.util.Optional;

/**
 * A job's latest retained checkpoint under the cluster's checkpoint directory ({@code <dir>/<job name>/<job id>/chk-N}),
 * as the dev stack finds it; the runs older than it are deleted first, since each resubmission is a new job id.
 */
final class RetainedCheckpointFinder {
    private RetainedCheckpointFinder() {}

    static FlinkJobSubmitter.CheckpointFinder under(ClusterLayout layout) {
        String dir = ClusterJobs.checkpointDir(layout);
        return jobName -> {
            Optional<RetainedCheckpoints.Checkpoint> latest = JobCheckpointing.latestLocal(dir, jobName);
            latest.ifPresent(checkpoint -> RetainedCheckpoints.deleteOlderRuns(checkpoint.directory().getParent().getParent(), checkpoint));
            return latest.map(checkpoint -> checkpoint.directory().toUri().toString());
        };
    }
}
