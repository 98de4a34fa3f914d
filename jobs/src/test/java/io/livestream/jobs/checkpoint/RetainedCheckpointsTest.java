package io.livestream.jobs.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedCheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void latestIsTheNewestCompletedCheckpointOfAnyRun() throws IOException {
        checkpoint("run-a", 7, 1_000);
        checkpoint("run-b", 2, 5_000);
        Files.createDirectories(dir.resolve("run-b/chk-3")); // in progress: no _metadata yet
        checkpoint("run-c", 9, 3_000);

        RetainedCheckpoints.Checkpoint latest = RetainedCheckpoints.latest(dir).orElseThrow();

        assertThat(latest.directory()).isEqualTo(dir.resolve("run-b/chk-2"));
        assertThat(latest.id()).isEqualTo(2);
        assertThat(RetainedCheckpoints.completed(dir)).hasSize(3);
    }

    @Test
    void noCheckpointWhenTheDirectoryIsMissingOrEmpty() throws IOException {
        assertThat(RetainedCheckpoints.latest(dir.resolve("missing"))).isEmpty();
        Files.createDirectories(dir.resolve("run-a/shared"));
        assertThat(RetainedCheckpoints.latest(dir)).isEmpty();
    }

    @Test
    void deletesOnlyRunsOlderThanTheOneRestoredFrom() throws IOException {
        checkpoint("old", 4, 1_000);
        Files.setLastModifiedTime(dir.resolve("old"), FileTime.fromMillis(1_000));
        checkpoint("kept", 8, 5_000);

        RetainedCheckpoints.deleteOlderRuns(dir, RetainedCheckpoints.latest(dir).orElseThrow());

        assertThat(dir.resolve("old")).doesNotExist();
        assertThat(dir.resolve("kept/chk-8/_metadata")).exists();
    }

    @Test
    void everyJobRetainsItsCheckpointsUnderItsOwnDirectory() {
        ParameterTool params = ParameterTool.fromArgs(new String[] {"--checkpoint-dir", "file:///data/ck/", "--checkpoint-interval-ms", "2000"});
        Configuration config = JobCheckpointing.configure(new Configuration(), params, "transcode", JobCheckpointing.RestoreOrder.FIRST);

        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///data/ck/transcode");
        assertThat(config.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)).isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(config.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis()).isEqualTo(2000);
    }

    @Test
    void restoresFromTheLatestLocalCheckpoint() throws IOException {
        checkpoint("transcode/run-a", 5, 2_000);
        var latest = JobCheckpointing.latestLocal(dir.toUri().toString(), "transcode").orElseThrow();

        Configuration config = JobCheckpointing.restoreFrom(new Configuration(), latest);

        assertThat(config.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(dir.resolve("transcode/run-a/chk-5").toUri().toString());
        assertThat(JobCheckpointing.latestLocal(dir.toUri().toString(), "chat")).isEmpty();
    }

    private void checkpoint(String run, long id, long completedAtMs) throws IOException {
        Path metadata = dir.resolve(run).resolve("chk-" + id).resolve("_metadata");
        Files.createDirectories(metadata.getParent());
        Files.write(metadata, new byte[] {1});
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(completedAtMs));
    }
}
