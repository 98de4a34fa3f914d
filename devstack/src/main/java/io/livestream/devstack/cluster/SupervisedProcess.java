package io.livestream.devstack.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process under supervision, as systemd's Restart=always would keep it: started with its output appended to its
 * log file, restarted after a back-off whenever it dies (its role's {@link ProcessSpec#firstRestartDelay()}, doubling
 * to 10 s while it keeps dying young; back to the first once it ran {@link #STABLE_AFTER}). A replacement of a role
 * with peers ({@link ProcessSpec#warmsUpAtLowPriority()}) starts at nice {@link ProcessPriority#WARM_UP_NICE} and
 * gets the normal priority {@link #WARM_UP} after it is ready.
 */
public final class SupervisedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedProcess.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /**
     * A process that ran this long was serving, not crash-looping: its next death gets the first delay again. A minute
     * (as before) made every JobManager kill of a five-trial run wait longer (1, 2, 4, 8 s: kills ~40 s apart), and
     * each second of it is a second of backlog the restored transcoder must drain; a process that cannot start dies in
     * its first seconds.
     */
    static final Duration STABLE_AFTER = Duration.ofSeconds(20);
    /**
     * How long a replacement stays at the low priority once it is ready: its JVM's class loading and first
     * compilations, and a broker's catching up on the partitions it follows.
     */
    static final Duration WARM_UP = Duration.ofSeconds(10);

    private final ProcessSpec spec;
    private final Path logFile;
    private final ScheduledExecutorService scheduler;
    private final Runnable onChange;
    private volatile Runnable onRestartReady = () -> {};
    private volatile Runnable onDeath = () -> {};
    private volatile Process process;
    private volatile boolean stopping;
    private volatile long startedNanos;
    private volatile int restarts;
    private Duration backoff;
    private final Duration warmUp;

    public SupervisedProcess(ProcessSpec spec, Path logFile, ScheduledExecutorService scheduler, Runnable onChange) {
        this(spec, logFile, scheduler, onChange, WARM_UP);
    }

    SupervisedProcess(ProcessSpec spec, Path logFile, ScheduledExecutorService scheduler, Runnable onChange, Duration warmUp) {
        this.warmUp = warmUp;
        this.spec = spec;
        this.logFile = logFile;
        this.scheduler = scheduler;
        this.onChange = onChange;
        this.backoff = spec.firstRestartDelay();
    }

    /** Runs after each restart once the process is ready again (the JobManager's resubmits the jobs). */
    public SupervisedProcess onRestartReady(Runnable action) {
        this.onRestartReady = action;
        return this;
    }

    /**
     * Runs as soon as the process has died unasked, before the restart's back-off: what its peers can do at once about
     * a death the supervisor is sure of (a dead broker is fenced). Runs on the scheduler; must not block for long.
     */
    public SupervisedProcess onDeath(Runnable action) {
        this.onDeath = action;
        return this;
    }

    public void start() throws IOException {
        start(false);
    }

    private synchronized void start(boolean lowPriority) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(lowPriority ? ProcessPriority.lowered(spec.command()) : spec.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(spec.environment());
        process = builder.start();
        startedNanos = System.nanoTime();
        Process started = process;
        started.onExit().thenAccept(this::exited);
        onChange.run();
    }

    private void exited(Process dead) {
        if (stopping || dead != process) return;
        Duration ran = Duration.ofNanos(System.nanoTime() - startedNanos);
        Duration delay;
        synchronized (this) {
            if (ran.compareTo(STABLE_AFTER) > 0) backoff = spec.firstRestartDelay();
            delay = backoff;
            Duration cap = spec.firstRestartDelay().compareTo(MAX_BACKOFF) > 0 ? spec.firstRestartDelay() : MAX_BACKOFF;
            backoff = backoff.multipliedBy(2).compareTo(cap) > 0 ? cap : backoff.multipliedBy(2);
        }
        restarts++;
        LOG.warn("{} (pid {}) exited with code {} after {} s; restart #{} in {} ms", spec.name(), dead.pid(), dead.exitValue(),
                ran.toSeconds(), restarts, delay.toMillis());
        scheduler.execute(onDeath);
        scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        if (stopping) return;
        try {
            boolean lowPriority = spec.warmsUpAtLowPriority();
            start(lowPriority);
            long pid = process.pid();
            LOG.info("{} restarted as pid {}{}", spec.name(), pid, lowPriority
                    ? " at nice " + ProcessPriority.WARM_UP_NICE + " until " + warmUp.toSeconds() + " s after it is ready (its peers serve meanwhile)" : "");
            if (!awaitReady(Duration.ofMinutes(2))) return;
            onRestartReady.run();
            if (lowPriority) scheduler.schedule(() -> restorePriority(pid), warmUp.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.error("{} could not be restarted: {}", spec.name(), e.toString());
        }
    }

    private void restorePriority(long pid) {
        if (stopping || pid() != pid || !isAlive()) return;
        try {
            if (ProcessPriority.restore(pid)) LOG.info("{} (pid {}) warmed up: normal priority", spec.name(), pid);
            else LOG.warn("{} (pid {}) stays at nice {}: renice refused (lowering a nice value needs root or CAP_SYS_NICE)",
                    spec.name(), pid, ProcessPriority.WARM_UP_NICE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls the readiness check while the process lives; false if it died or the time ran out. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process watched = process;
        while (System.nanoTime() < deadline) {
            if (!watched.isAlive()) return false;
            if (spec.readiness().isReady()) return true;
            Thread.sleep(200);
        }
        return false;
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    public void stop(Duration grace) {
        stopping = true;
        Process current = process;
        if (current == null || !current.isAlive()) return;
        current.destroy();
        try {
            if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {} s of SIGTERM: SIGKILL", spec.name(), current.pid(), grace.toSeconds());
                current.destroyForcibly();
                current.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.destroyForcibly();
        }
    }

    public ProcessSpec spec() {
        return spec;
    }

    public long pid() {
        Process current = process;
        return current == null ? -1 : current.pid();
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public int restarts() {
        return restarts;
    }

    public ClusterState.Entry entry() {
        return new ClusterState.Entry(spec.role(), spec.index(), pid(), spec.ports(), restarts);
    }
}
