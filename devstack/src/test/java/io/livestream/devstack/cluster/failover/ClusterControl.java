package io.livestream.devstack.cluster.failover;

import io.livestream.devstack.cluster.ClusterLayout;
import io.livestream.devstack.cluster.ClusterState;
import io.livestream.devstack.cluster.ClusterStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** The running cluster as the failover suite sees it: its state file, and SIGKILL/SIGSTOP of one of its processes. */
final class ClusterControl {
    final ClusterLayout layout;

    ClusterControl(Path root) {
        this.layout = ClusterLayout.under(root);
    }

    ClusterState state() {
        return ClusterState.read(layout.stateFile()).orElseThrow(() -> new AssertionError("no cluster state file " + layout.stateFile()));
    }

    ClusterStatus.Row row(String role, int index) {
        return ClusterStatus.rows(state()).stream().filter(r -> r.role().equals(role) && r.index() == index).findFirst()
                .orElseThrow(() -> new AssertionError("no process " + role + "-" + index));
    }

    List<ClusterStatus.Row> rows() {
        return ClusterStatus.rows(state());
    }

    /** SIGKILL, as the kernel's OOM killer or a power cut would end it; returns the pid killed. */
    long kill(String role, int index) throws Exception {
        long pid = row(role, index).pid();
        signal("KILL", pid);
        return pid;
    }

    void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -" + signal + " " + pid + " failed");
    }

    /** Waits until the supervisor has restarted the process (a new pid) and it serves its ports. */
    ClusterStatus.Row awaitRestarted(String role, int index, long oldPid, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    ClusterStatus.Row row = row(role, index);
                    return row.pid() != oldPid && row.up();
                });
        return row(role, index);
    }
}
