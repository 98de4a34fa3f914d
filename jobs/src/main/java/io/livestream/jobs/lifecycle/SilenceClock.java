package io.livestream.jobs.lifecycle;

/**
 * Where silence starts counting for one instance of a keyed operator that may have been restored from a
 * checkpoint. A restored processing-time timer fires at once, and the instance's input may still be starting (its
 * source reading the backlog, a sibling operator of the same source still restoring its state and back-pressuring
 * it): a publisher that kept streaming is silent here for seconds. So silence counts from the first record this
 * instance receives, for any key; if none comes at all, from its start plus {@code noInputAllowanceMs} (a
 * restore after which nobody publishes: every publisher died with the platform).
 *
 * <p>Not state: one per operator instance, created in {@code open}.
 */
public final class SilenceClock {
    /** What a restore on a loaded cluster may take between an operator's start and its first record. */
    public static final long DEFAULT_NO_INPUT_ALLOWANCE_MS = 10_000;

    private final long noInputAllowanceMs;
    private long startedAtMs = Long.MIN_VALUE;
    private long firstInputAtMs = Long.MIN_VALUE;

    public SilenceClock(long noInputAllowanceMs) {
        if (noInputAllowanceMs < 0) throw new IllegalArgumentException("allowance must be >= 0");
        this.noInputAllowanceMs = noInputAllowanceMs;
    }

    /** A record arrived at processing time {@code now}. */
    public void input(long now) {
        started(now);
        if (firstInputAtMs == Long.MIN_VALUE) firstInputAtMs = now;
    }

    /** The earliest time silence may count from, seen at processing time {@code now}. */
    public long countsFrom(long now) {
        started(now);
        return firstInputAtMs != Long.MIN_VALUE ? firstInputAtMs : startedAtMs + noInputAllowanceMs;
    }

    private void started(long now) {
        if (startedAtMs == Long.MIN_VALUE) startedAtMs = now;
    }
}
