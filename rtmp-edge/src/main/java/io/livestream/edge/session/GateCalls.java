package io.livestream.edge.session;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Where a session's calls to its {@link PublishGate} run. The registry behind the production gate is Redis, and a
 * hung Redis holds a call for its socket timeout: run on the connection's event loop, that froze every other
 * publisher on the same loop (the failover suite's Redis trial saw a live stream's media stop 4.2 s while a new publish
 * was being refused). The server runs them on a pool of their own and hands the answer back on the connection's
 * thread; tests and in-memory gates run them in place.
 */
public interface GateCalls {
    /**
     * Runs {@code call}, then {@code onConnectionThread} with its result or what it threw (a RuntimeException), on the
     * connection's thread. Calls of one connection run in the order they were made.
     */
    <T> void run(Supplier<T> call, BiConsumer<T, RuntimeException> onConnectionThread);

    /** Runs the call on the caller's thread and answers at once. */
    GateCalls IN_PLACE = new GateCalls() {
        @Override
        public <T> void run(Supplier<T> call, BiConsumer<T, RuntimeException> onConnectionThread) {
            T result;
            try {
                result = call.get();
            } catch (RuntimeException e) {
                onConnectionThread.accept(null, e);
                return;
            }
            onConnectionThread.accept(result, null);
        }
    };
}
