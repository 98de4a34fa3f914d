package io.livestream.jobs.media;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread of one encoded rung: runs the caller's work for that rung in order, up to {@link #MAX_QUEUED} items
 * behind the caller, and hands back what the rung completed (parts and segments, in order). Rungs then run at their own
 * pace, as the ffmpeg program's encoder threads with their frame queues do, instead of meeting at every frame: the
 * larger rung's encoder keeps a core busy while the smaller ones and the decoder run ahead on the other.
 *
 * <p>The caller owns {@link #submit}, {@link #takeCompleted} and {@link #awaitIdle}; the work publishes with
 * {@link #publish}. What the work alone reads (its frame reference, its packet) is freed by the lane, since the caller
 * does not know when it ran: {@link #submit(Runnable, Runnable)} runs the release after the work, or at once when the
 * work is refused, or on {@link #close} for work that never ran.
 */
final class EncodeLane implements AutoCloseable {
    /** Frames and audio packets a rung may lag behind the decoder: ~8 frames of video with their audio at 30 fps. */
    static final int MAX_QUEUED = 24;

    private final ExecutorService thread;
    /** Submitted work not yet seen done, oldest first; only the caller touches it. */
    private final ArrayDeque<Future<?>> queued = new ArrayDeque<>();
    /** What the work completed, in order: {@link Part}s and {@link Segment}s. */
    private final ConcurrentLinkedQueue<Object> completed = new ConcurrentLinkedQueue<>();

    EncodeLane(String name) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues work; waits first while the lane is {@link #MAX_QUEUED} behind. Throws the failure of earlier work. */
    void submit(Runnable work) {
        submit(work, () -> {});
    }

    /**
     * Queues work that owns what {@code release} frees: the release runs once, after the work (also when it fails), now
     * if the work cannot be queued (an earlier failure, a closed lane), or on {@link #close} if the work never ran.
     */
    void submit(Runnable work, Runnable release) {
        Owned owned = new Owned(work, release);
        try {
            reapDone();
            while (queued.size() >= MAX_QUEUED) await(queued.poll());
            thread.execute(owned);
        } catch (RuntimeException notQueued) {
            owned.release();
            throw notQueued;
        }
        queued.add(owned);
    }

    /** On the lane: hands a completed part or segment back to the caller. */
    void publish(Object partOrSegment) {
        completed.add(partOrSegment);
    }

    /**
     * Moves what the lane completed into the lists, in order, up to and including the first segment: a segment's later
     * parts belong to the next segment, which the caller must not send before this one. Throws the failure of earlier work.
     */
    void takeCompleted(List<Part> parts, List<Segment> segments) {
        reapDone();
        for (Object o = completed.poll(); o != null; o = completed.poll()) {
            if (o instanceof Part p) {
                parts.add(p);
            } else {
                segments.add((Segment) o);
                return;
            }
        }
    }

    /** Whether it completed anything not taken yet. */
    boolean hasCompleted() {
        return !completed.isEmpty();
    }

    /**
     * Waits until all submitted work ran, even when interrupted (Flink interrupts the task thread when it cancels):
     * freeing the encoder or muxer under running native code would crash the JVM; the interrupt is kept. Throws the
     * first failure of the work, or a MediaException when it was interrupted.
     */
    void awaitIdle() {
        RuntimeException failure = null;
        boolean interrupted = false;
        while (!queued.isEmpty()) {
            Future<?> f = queued.poll();
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) failure = asRuntime(e.getCause());
                    break;
                } catch (CancellationException e) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) failure = new MediaException("interrupted while encoding");
        }
        if (failure != null) throw failure;
    }

    @Override
    public void close() {
        for (Runnable neverRan : thread.shutdownNow()) ((Owned) neverRan).release();
    }

    /** Work with what it frees, as the lane's future of it; the release runs once, whoever gets to it. */
    private static final class Owned extends FutureTask<Void> {
        private final AtomicReference<Runnable> release;

        Owned(Runnable work, Runnable release) {
            super(work, null);
            this.release = new AtomicReference<>(release);
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                release();
            }
        }

        void release() {
            Runnable r = release.getAndSet(null);
            if (r != null) r.run();
        }
    }

    private void reapDone() {
        while (!queued.isEmpty() && queued.peek().isDone()) await(queued.poll());
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (ExecutionException e) {
            throw asRuntime(e.getCause());
        } catch (CancellationException e) {
            // shut down: nothing ran
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("interrupted while encoding");
        }
    }

    private static RuntimeException asRuntime(Throwable cause) {
        return cause instanceof RuntimeException r ? r : new MediaException("encoding failed: " + cause);
    }
}
