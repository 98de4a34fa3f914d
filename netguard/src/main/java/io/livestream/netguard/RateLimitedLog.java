package io.livestream.netguard;

import io.livestream.common.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Log lines for events that come in floods (refused connections, timed-out clients): the first event of a kind in
 * each interval is written, the others of that kind are only counted, and the count goes into the next line written.
 * A flood of ten thousand connections is one line every interval, not ten thousand.
 */
public final class RateLimitedLog {
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    private final Consumer<String> sink;
    private final long intervalMs;
    private final Clock clock;
    private final Map<String, Kind> kinds = new HashMap<>();

    public RateLimitedLog(Consumer<String> sink, long intervalMs, Clock clock) {
        this.sink = sink;
        this.intervalMs = intervalMs;
        this.clock = clock;
    }

    /** At INFO on {@code log}, at most one line per kind every 10 s. */
    public static RateLimitedLog info(Logger log) {
        return new RateLimitedLog(log::info, DEFAULT_INTERVAL_MS, Clock.SYSTEM);
    }

    /**
     * One event of {@code kind}; written as {@code String.format(format, args)} if none of its kind was in the last
     * interval (the format is only applied then).
     */
    public void event(String kind, String format, Object... args) {
        long suppressed;
        synchronized (this) {
            long now = clock.millis();
            Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
            if (k.everWritten && now - k.lastWrittenMs < intervalMs) {
                k.suppressed++;
                return;
            }
            suppressed = k.suppressed;
            k.suppressed = 0;
            k.lastWrittenMs = now;
            k.everWritten = true;
        }
        String line = String.format(format, args);
        sink.accept(suppressed == 0 ? line : line + " (and " + suppressed + " more like it since the last such line)");
    }

    private static final class Kind {
        boolean everWritten;
        long lastWrittenMs;
        long suppressed;
    }
}
