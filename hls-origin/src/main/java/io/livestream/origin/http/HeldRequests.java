package io.livestream.origin.http;

import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The LL-HLS requests held for one rendition (of one container), oldest first. A request's deadline is its arrival
 * plus a few target durations, so the oldest is the next to time out: one periodic sweep per rendition answers those
 * past their deadline from the front, instead of a timer task per request. A held request is then a {@link Waiter}
 * in a deque, with the rendition's playlist route shared by all: at 100,000 held, the per-request timer task and its
 * lambda, a set entry and a copy of the route with its strings were most of what holding cost.
 * Thread-safe: held on event loops, released from the store's writer thread, swept on an event loop.
 */
final class HeldRequests {
    /** How often a rendition with held requests is swept for timed-out ones: a 503 is at most this late. */
    static final long SWEEP_MS = 250;

    /** The rendition's playlist route, which names it; shared by every waiter (a part's route is rebuilt from it). */
    final Route.Media playlist;
    private ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean sweeping;

    HeldRequests(Route.Media playlist) {
        this.playlist = playlist;
    }

    /** Holds {@code w}; true if no sweep is running for this rendition, so the caller starts one. */
    synchronized boolean add(Waiter w) {
        waiters.addLast(w);
        if (sweeping) return false;
        sweeping = true;
        return true;
    }

    synchronized boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** Takes out the waiters {@code ready} accepts; the others stay, in order. */
    synchronized List<Waiter> take(Predicate<Waiter> ready) {
        List<Waiter> taken = new ArrayList<>();
        ArrayDeque<Waiter> staying = new ArrayDeque<>(waiters.size());
        for (Waiter w : waiters) (ready.test(w) ? taken : staying).add(w);
        if (!taken.isEmpty()) waiters = staying;
        return taken;
    }

    /**
     * Takes out the waiters whose deadline has passed, from the front. Deadlines follow arrival unless the target
     * duration changed between two arrivals; then one behind a longer deadline waits for it (a few seconds at most).
     */
    synchronized List<Waiter> takeExpired(long nowNanos) {
        List<Waiter> expired = new ArrayList<>();
        while (!waiters.isEmpty() && waiters.peekFirst().deadlineNanos - nowNanos <= 0) expired.add(waiters.pollFirst());
        return expired;
    }

    /** After a sweep: true if it should run again; false (and the next {@link #add} starts one) when none is held. */
    synchronized boolean keepSweeping() {
        sweeping = !waiters.isEmpty();
        return sweeping;
    }

    /**
     * One held request: a playlist reload waiting for {@code msn}/{@code partIndex} (-1: any part of it), or a request
     * for hinted part {@code partIndex} of segment {@code msn}. Identity semantics: two identical requests are two.
     */
    static final class Waiter {
        final ChannelHandlerContext ctx;
        final ReplyTo to;
        final boolean forPart;
        final long msn;
        final int partIndex;
        final boolean skip;
        final long deadlineNanos;
        /** Set when released: the answer rendered for it (and for every waiter asking the same). */
        Resource answer;

        Waiter(ChannelHandlerContext ctx, ReplyTo to, boolean forPart, long msn, int partIndex, boolean skip, long deadlineNanos) {
            this.ctx = ctx;
            this.to = to;
            this.forPart = forPart;
            this.msn = msn;
            this.partIndex = partIndex;
            this.skip = skip;
            this.deadlineNanos = deadlineNanos;
        }

        /** What its answer depends on: waiters with equal keys get one render. */
        Object answerKey() {
            return forPart ? new PartKey(msn, partIndex) : (Object) skip;
        }

        private record PartKey(long msn, int index) {}
    }
}
