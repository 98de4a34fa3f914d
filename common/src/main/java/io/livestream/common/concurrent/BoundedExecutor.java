package io.livestream.common.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where event loops hand blocking work (Redis, disk): a fixed number of threads and a bounded queue. When the queue is
 * full, {@link #execute} throws {@link RejectedExecutionException} at once, so the caller answers 503 with
 * {@code Retry-After: }{@value #RETRY_AFTER_SECONDS} instead of queueing without bound behind a slow dependency.
 */
public final class BoundedExecutor implements Executor, AutoCloseable {
    /** What a refused caller tells its client: the queue drains in well under a second unless the dependency is down. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final ThreadPoolExecutor pool;
    private final int queueCapacity;

    public BoundedExecutor(String threadName, int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) throw new IllegalArgumentException("threads and queueCapacity must be >= 1");
        AtomicInteger count = new AtomicInteger();
        this.queueCapacity = queueCapacity;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity), r -> {
            Thread t = new Thread(r, threadName + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** @throws RejectedExecutionException when every thread is busy and the queue is full, or after {@link #close} */
    @Override
    public void execute(Runnable work) {
        pool.execute(work);
    }

    /** Tasks waiting for a thread now. */
    public int queued() {
        return pool.getQueue().size();
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
