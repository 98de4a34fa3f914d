package io.livestream.devstack.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scheduling priority (nice value) of a supervised process's threads. A replacement JVM warms up at a low priority
 * so that, on a machine its peers share, the peers taking over its work (the surviving TaskManager draining the
 * restored jobs' backlog, the brokers that lead its partitions now) keep the CPU; it gets the normal priority back
 * once it has warmed up. Linux keeps a nice value per thread, so both directions cover every thread: {@code nice}
 * starts the process (its threads inherit the value), and {@code renice} names each of its threads.
 */
final class ProcessPriority {
    /** Under contention a thread at nice 10 gets about a tenth of the CPU a thread at 0 gets (CFS weights 110 : 1024). */
    static final int WARM_UP_NICE = 10;
    private static final Path PROC = Path.of("/proc");

    private ProcessPriority() {}

    /** {@code command} started at the warm-up priority ({@code nice} execs it, so the process keeps its pid). */
    static List<String> lowered(List<String> command) {
        List<String> niced = new ArrayList<>(List.of("nice", "-n", String.valueOf(WARM_UP_NICE)));
        niced.addAll(command);
        return niced;
    }

    /** The command that gives every listed thread the normal priority (lowering a nice value needs CAP_SYS_NICE). */
    static List<String> restoreCommand(List<Long> threadIds) {
        List<String> command = new ArrayList<>(List.of("renice", "-n", "0", "-p"));
        threadIds.forEach(tid -> command.add(String.valueOf(tid)));
        return command;
    }

    /** The ids of the process's threads, from {@code /proc/<pid>/task}; empty once it is gone. */
    static List<Long> threadIds(long pid) {
        try (Stream<Path> tasks = Files.list(PROC.resolve(String.valueOf(pid)).resolve("task"))) {
            return tasks.map(p -> Long.parseLong(p.getFileName().toString())).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** A thread's nice value: field 19 of {@code /proc/<pid>/task/<tid>/stat}, counted after the command name. */
    static int niceOf(long pid, long tid) throws IOException {
        return niceFromStat(Files.readString(PROC.resolve(pid + "/task/" + tid + "/stat")));
    }

    /** The nice value of a stat line: its 19th field. */
    static int niceFromStat(String stat) {
        return Integer.parseInt(ProcStatLine.fieldsFromState(stat)[19 - 3]);
    }

    /** Gives the process's threads the normal priority; false when it could not (no privilege, or gone). */
    static boolean restore(long pid) throws InterruptedException {
        List<Long> threads = threadIds(pid);
        if (threads.isEmpty()) return false;
        try {
            Process renice = new ProcessBuilder(restoreCommand(threads)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return renice.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
