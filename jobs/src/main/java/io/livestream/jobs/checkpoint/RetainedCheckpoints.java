package io.livestream.jobs.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the checkpoint a job restarts from. Flink writes a job's checkpoints to {@code <dir>/<job id>/chk-<n>/} and
 * a completed one has its {@code _metadata} file; with retention on cancellation the last ones outlive the job (and
 * a killed process). Each of our jobs checkpoints under a directory of its own name ({@link JobCheckpointing}), so
 * the newest completed checkpoint under it, whichever run of the job wrote it, is where the job left off.
 */
public final class RetainedCheckpoints {
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");

    /** A completed checkpoint: its directory (what Flink's restore path takes) and when it completed. */
    public record Checkpoint(Path directory, long id, long completedAtMs) {}

    /** The newest completed checkpoint under {@code jobDir} (a job's own checkpoint directory), if any. */
    public static Optional<Checkpoint> latest(Path jobDir) {
        return completed(jobDir).stream().max(Comparator.comparingLong(Checkpoint::completedAtMs).thenComparingLong(Checkpoint::id));
    }

    /** Every completed checkpoint under {@code jobDir}, of every run of the job. */
    public static List<Checkpoint> completed(Path jobDir) {
        if (!Files.isDirectory(jobDir)) return List.of();
        try (Stream<Path> runs = Files.list(jobDir)) {
            return runs.filter(Files::isDirectory).flatMap(RetainedCheckpoints::checkpointsOfRun).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints under " + jobDir, e);
        }
    }

    /**
     * Deletes the checkpoint directories of runs of the job older than the one holding {@code keep}: each restart is
     * a new job id and Flink only cleans up within a run. Call it before submitting the job restored from
     * {@code keep}; newer runs (there are none then) are left alone.
     */
    public static void deleteOlderRuns(Path jobDir, Checkpoint keep) {
        Path keptRun = keep.directory().getParent();
        try (Stream<Path> runs = Files.list(jobDir)) {
            for (Path run : runs.filter(Files::isDirectory).filter(run -> !run.equals(keptRun)).toList()) {
                if (Files.getLastModifiedTime(run).toMillis() < keep.completedAtMs()) deleteTree(run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up checkpoints under " + jobDir, e);
        }
    }

    private static Stream<Checkpoint> checkpointsOfRun(Path run) {
        try (Stream<Path> entries = Files.list(run)) {
            return entries.map(dir -> {
                        Matcher m = CHECKPOINT_DIR.matcher(dir.getFileName().toString());
                        Path metadata = dir.resolve("_metadata");
                        if (!m.matches() || !Files.isRegularFile(metadata)) return null;
                        try {
                            return new Checkpoint(dir, Long.parseLong(m.group(1)), Files.getLastModifiedTime(metadata).toMillis());
                        } catch (IOException e) {
                            return null; // deleted by Flink while we looked: not a candidate
                        }
                    })
                    .filter(c -> c != null).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private RetainedCheckpoints() {}
}
