package io.livestream.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisedProcessTest {
    @Test
    void aKilledProcessWithPeersIsRestartedAtLowPriorityAndGetsTheNormalOneBackAfterItsWarmUp(@TempDir Path dir) throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        // an edge's restart delay is 1 s; the command stands in for its JVM
        ProcessSpec spec = new ProcessSpec("edge", 1, List.of("sleep", "120"), Map.of(), List.of(), () -> true);
        SupervisedProcess process = new SupervisedProcess(spec, dir.resolve("edge-1.log"), scheduler, () -> {}, Duration.ofSeconds(6));
        try {
            process.start();
            long first = process.pid();
            assertThat(ProcessPriority.niceOf(first, first)).as("a first start runs at the normal priority").isZero();

            new ProcessBuilder("kill", "-9", String.valueOf(first)).start().waitFor();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> process.isAlive() && process.pid() != first);
            long replacement = process.pid();
            // the pid exists before the `nice` program in it has lowered its priority and exec'd the command:
            // wait for that, well inside the 6 s warm-up
            Awaitility.await("the replacement warms up at nice 10").atMost(Duration.ofSeconds(4))
                    .until(() -> ProcessPriority.niceOf(replacement, replacement) == ProcessPriority.WARM_UP_NICE);

            boolean privileged = Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[2].equals("0"));
            if (privileged) {
                Awaitility.await("normal priority after the warm-up").atMost(Duration.ofSeconds(15))
                        .until(() -> ProcessPriority.niceOf(replacement, replacement) == 0);
            } else {
                Thread.sleep(8_000); // past the warm-up
                assertThat(ProcessPriority.niceOf(replacement, replacement)).as("without the privilege it stays low").isEqualTo(10);
            }
            assertThat(process.pid()).isEqualTo(replacement);
        } finally {
            process.stop(Duration.ofSeconds(2));
            scheduler.shutdownNow();
        }
    }

    @Test
    void theDeathHookRunsAtOnceAndTheRestartAfterTheBackOff(@TempDir Path dir) throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ProcessSpec spec = new ProcessSpec("kafka", 1, List.of("sleep", "120"), Map.of(), List.of(), () -> true);
        java.util.concurrent.atomic.AtomicLong deathSeenNanos = new java.util.concurrent.atomic.AtomicLong();
        SupervisedProcess process = new SupervisedProcess(spec, dir.resolve("kafka-1.log"), scheduler, () -> {})
                .onDeath(() -> deathSeenNanos.set(System.nanoTime()));
        try {
            process.start();
            long first = process.pid();
            long killedNanos = System.nanoTime();
            new ProcessBuilder("kill", "-9", String.valueOf(first)).start().waitFor();
            Awaitility.await("the death hook").atMost(Duration.ofSeconds(2)).until(() -> deathSeenNanos.get() != 0);
            assertThat(process.pid()).as("not restarted yet: a broker's back-off is %s", spec.firstRestartDelay()).isEqualTo(first);
            assertThat(Duration.ofNanos(deathSeenNanos.get() - killedNanos)).isLessThan(spec.firstRestartDelay());
            Awaitility.await("the restart").atMost(Duration.ofSeconds(20)).until(() -> process.isAlive() && process.pid() != first);
        } finally {
            process.stop(Duration.ofSeconds(2));
            scheduler.shutdownNow();
        }
    }

    @Test
    void aRoleWhoseRestartIsTheRecoveryComesBackAtTheNormalPriority() {
        assertThat(new ProcessSpec("jobmanager", 1, List.of("x"), Map.of(), List.of(), () -> true).warmsUpAtLowPriority()).isFalse();
        assertThat(new ProcessSpec("redis", 1, List.of("x"), Map.of(), List.of(), () -> true).warmsUpAtLowPriority()).isFalse();
        assertThat(new ProcessSpec("taskmanager", 2, List.of("x"), Map.of(), List.of(), () -> true).warmsUpAtLowPriority()).isTrue();
        assertThat(new ProcessSpec("kafka", 3, List.of("x"), Map.of(), List.of(), () -> true).warmsUpAtLowPriority()).isTrue();
    }

    @Test
    void theNiceValueIsReadAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (kafka) 2) S 1 4242 4242 0 -1 4194560 100 0 0 0 12 3 0 0 30 10 57 0 1234 5000 100";
        assertThat(ProcessPriority.niceFromStat(stat)).isEqualTo(10);
        assertThat(ProcessPriority.restoreCommand(List.of(7L, 9L))).containsExactly("renice", "-n", "0", "-p", "7", "9");
        assertThat(ProcessPriority.lowered(List.of("java", "-version"))).containsExactly("nice", "-n", "10", "java", "-version");
    }
}
