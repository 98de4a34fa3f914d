package io.livestream.edge.server;

import io.livestream.edge.session.GateCalls;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One connection's gate calls on the server's blocking pool, chained so that they keep their order (a publish's end
 * never overtakes its begin), each answer handed back on the connection's event loop. Used from that event loop only.
 */
final class OffLoopGateCalls implements GateCalls {
    private final Executor blocking;
    private final EventExecutor connectionThread;
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    OffLoopGateCalls(Executor blocking, EventExecutor connectionThread) {
        this.blocking = blocking;
        this.connectionThread = connectionThread;
    }

    @Override
    public <T> void run(Supplier<T> call, BiConsumer<T, RuntimeException> onConnectionThread) {
        CompletableFuture<T> next = previous.handle((ignored, error) -> null).thenApplyAsync(ignored -> call.get(), blocking);
        previous = next;
        next.whenComplete((result, error) -> {
            RuntimeException failure = error == null ? null : unwrap(error);
            try {
                connectionThread.execute(() -> onConnectionThread.accept(result, failure));
            } catch (RejectedExecutionException stopped) {
                // the server is stopping and the event loop with it: there is no connection left to answer
            }
        });
    }

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
