package io.livestream.origin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last minutes of {@code live.stream-health} windows per stream, for the API. Thread-safe; pure apart from the clock. */
public final class HealthHistory {
    public static final long DEFAULT_KEEP_MS = 10 * 60_000L;

    private final Map<String, Deque<JsonNode>> byStream = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long keepMs;

    public HealthHistory(Clock clock, long keepMs) {
        this.clock = clock;
        this.keepMs = keepMs;
    }

    public HealthHistory() {
        this(Clock.SYSTEM, DEFAULT_KEEP_MS);
    }

    /** One window as the health job wrote it; needs streamId and at (epoch ms). */
    public void add(JsonNode window) {
        String streamId = window.path("streamId").asText(null);
        if (streamId == null || !window.path("at").canConvertToLong()) return;
        Deque<JsonNode> windows = byStream.computeIfAbsent(streamId, id -> new ArrayDeque<>());
        synchronized (windows) {
            windows.addLast(window);
            trim(windows);
        }
    }

    public Optional<JsonNode> latest(String streamId) {
        Deque<JsonNode> windows = byStream.get(streamId);
        if (windows == null) return Optional.empty();
        synchronized (windows) {
            trim(windows);
            return Optional.ofNullable(windows.peekLast());
        }
    }

    /** Oldest first. */
    public List<JsonNode> recent(String streamId) {
        Deque<JsonNode> windows = byStream.get(streamId);
        if (windows == null) return List.of();
        synchronized (windows) {
            trim(windows);
            return new ArrayList<>(windows);
        }
    }

    private void trim(Deque<JsonNode> windows) {
        long cutoff = clock.millis() - keepMs;
        while (!windows.isEmpty() && windows.peekFirst().path("at").asLong() < cutoff) windows.removeFirst();
    }
}
