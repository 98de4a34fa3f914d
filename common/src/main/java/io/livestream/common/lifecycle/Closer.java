package io.livestream.common.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * What a service started, closed in reverse order of start; one failure is reported and does not stop the rest.
 */
public final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Consumer<Exception> onFailure;

    /** @param onFailure told of each close that failed (a log line) */
    public Closer(Consumer<Exception> onFailure) {
        this.onFailure = onFailure;
    }

    /** Remembers {@code resource} for closing and returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                onFailure.accept(e);
            }
        }
    }
}
