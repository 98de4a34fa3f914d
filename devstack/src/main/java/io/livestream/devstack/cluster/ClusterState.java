package io.livestream.devstack.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What the supervisor tells the {@code cluster} commands, in a file under the data directory: its own pid, whether
 * the whole cluster has come up, and each process's current pid and ports. Written atomically on every change.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterState(long supervisorPid, boolean ready, String failure, List<Entry> processes) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String role, int index, long pid, List<Integer> ports, int restarts) {}

    public void write(Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, Json.toBytes(this));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Optional<ClusterState> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Json.fromBytes(Files.readAllBytes(file), ClusterState.class)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }
}
