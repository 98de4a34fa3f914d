package io.livestream.devstack.bench;

import io.livestream.devstack.cluster.ProcStatLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from /proc (Linux). */
final class ProcStats {
    private static final double TICKS_PER_SECOND = 100.0;

    /** User + system CPU seconds the process has used. */
    static double cpuSeconds(long pid) throws IOException {
        String[] fields = ProcStatLine.fieldsFromState(Files.readString(Path.of("/proc/" + pid + "/stat")));
        return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) / TICKS_PER_SECOND; // utime, stime
    }

    static long rssMb(long pid) throws IOException {
        return rssKb(pid) / 1024;
    }

    /** User + system CPU seconds of the process and its live descendants (nginx: the master and its workers). */
    static double treeCpuSeconds(long pid) throws IOException {
        double total = cpuSeconds(pid);
        for (long child : descendants(pid)) total += cpuSeconds(child);
        return total;
    }

    /** Resident MB of the process and its live descendants. */
    static long treeRssMb(long pid) throws IOException {
        long total = rssKb(pid);
        for (long child : descendants(pid)) total += rssKb(child);
        return total / 1024;
    }

    private static long[] descendants(long pid) {
        return ProcessHandle.of(pid).map(p -> p.descendants().mapToLong(ProcessHandle::pid).toArray()).orElse(new long[0]);
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }

    private ProcStats() {}
}
