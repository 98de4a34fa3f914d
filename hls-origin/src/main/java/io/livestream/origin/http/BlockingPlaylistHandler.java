package io.livestream.origin.http;

import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.http.HeldRequests.Waiter;
import io.livestream.origin.store.LiveEdge;
import io.livestream.origin.store.SegmentStore;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * LL-HLS requests that may wait (draft-pantos-hls-rfc8216bis 6.2.5-6.2.6): playlist reloads with {@code _HLS_msn} /
 * {@code _HLS_part} (held until the playlist holds that part), delta updates ({@code _HLS_skip=YES}) and requests
 * for the part the preload hint names (held until it is complete).
 *
 * <p>A held request costs no thread and no timer task: it is a small {@link Waiter} (the channel context, what the
 * answer needs from the request as a {@link ReplyTo}, and the part it waits for; not the request, which is released)
 * in its rendition's {@link HeldRequests}, which one sweep per rendition times out. When the store reports an update
 * (on the consumer thread) the waiters it satisfies are taken out, each distinct answer (the playlist, full or delta,
 * or a part) is rendered once, and each event loop gets one task that writes the shared bytes to all of its waiters.
 */
public final class BlockingPlaylistHandler implements SegmentStore.UpdateListener {
    /** A request blocked longer than this many target durations gets 503, as the draft suggests. */
    static final int TIMEOUT_TARGET_DURATIONS = 3;

    private final OriginResources resources;
    private final ResponseWriter writer;
    private final SegmentStore store;
    private final ConcurrentHashMap<RenditionKey, HeldRequests> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();

    BlockingPlaylistHandler(OriginResources resources, ResponseWriter writer) {
        this.resources = resources;
        this.writer = writer;
        this.store = resources.store();
        store.addUpdateListener(this);
    }

    /** Requests waiting now (all renditions). */
    public int heldRequests() {
        return held.get();
    }

    /**
     * Takes the request if it is an LL-HLS one: answers it now (or with 400) or holds it. Returns false for anything
     * else, which the ordinary routes then serve. Runs on the channel's event loop.
     */
    boolean handle(ChannelHandlerContext ctx, OriginRequest request, ReplyTo to, Route route) {
        if (route instanceof Route.Media media) return handlePlaylist(ctx, request, to, media);
        if (route instanceof Route.Part part) return handlePart(ctx, to, part);
        return false;
    }

    private boolean handlePlaylist(ChannelHandlerContext ctx, OriginRequest request, ReplyTo to, Route.Media media) {
        Map<String, List<String>> params;
        try {
            params = new QueryStringDecoder(request.uri()).parameters();
        } catch (IllegalArgumentException badEscape) { // "%zz": a client error, not ours
            return answer(ctx, to, OriginResources.error(400, "malformed query string: " + badEscape.getMessage()));
        }
        String msnParam = first(params, "_HLS_msn");
        String partParam = first(params, "_HLS_part");
        String skipParam = first(params, "_HLS_skip");
        if (msnParam == null && partParam == null && skipParam == null) return holdUntilFirstSegment(ctx, to, media);
        boolean skip = "YES".equals(skipParam) || "v2".equals(skipParam);
        if (partParam != null && msnParam == null) return answer(ctx, to, OriginResources.error(400, "_HLS_part without _HLS_msn"));
        long msn;
        int part;
        try {
            msn = msnParam == null ? -1 : Long.parseLong(msnParam);
            part = partParam == null ? -1 : Integer.parseInt(partParam);
        } catch (NumberFormatException e) {
            return answer(ctx, to, OriginResources.error(400, "_HLS_msn and _HLS_part must be numbers"));
        }
        if ((msnParam != null && msn < 0) || (partParam != null && part < 0)) {
            return answer(ctx, to, OriginResources.error(400, "_HLS_msn and _HLS_part must not be negative"));
        }
        Optional<LiveEdge> edge = store.liveEdge(media.streamId(), media.container(), media.rendition());
        if (edge.isEmpty() || msnParam == null) return answer(ctx, to, resources.mediaPlaylist(media, skip));
        if (edge.get().tooFarAhead(msn) && !edge.get().ended()) {
            return answer(ctx, to, OriginResources.error(400, "_HLS_msn " + msn + " is too far ahead of the playlist"));
        }
        hold(ctx, to, media, false, msn, part, skip, edge.get());
        return true;
    }

    /**
     * A plain playlist request in a stream's first second, when the playlist would list only parts of its open first
     * segment: held until that segment is whole (as gohlslib holds it), then served. A player has no live edge to
     * start from without a whole segment, and Shaka Player 5.2 fails at once on such a playlist (TypeError in its
     * parser). Returns false (serve it now) when there is a whole segment, the stream ended, or it is unknown.
     */
    private boolean holdUntilFirstSegment(ChannelHandlerContext ctx, ReplyTo to, Route.Media media) {
        Optional<LiveEdge> edge = store.liveEdge(media.streamId(), media.container(), media.rendition());
        if (edge.isEmpty() || edge.get().lastMsn() >= 0 || edge.get().ended()) return false;
        hold(ctx, to, media, false, edge.get().openMsn(), -1, false, edge.get());
        return true;
    }

    private boolean handlePart(ChannelHandlerContext ctx, ReplyTo to, Route.Part part) {
        if (store.part(part.streamId(), part.container(), part.rendition(), part.msn(), part.index()).isPresent()) return false;
        Optional<LiveEdge> edge = store.liveEdge(part.streamId(), part.container(), part.rendition());
        if (edge.isEmpty() || !edge.get().isHinted(part.msn(), part.index())) return false; // an ordinary 404
        hold(ctx, to, new Route.Media(part.streamId(), part.rendition(), part.container()), true, part.msn(), part.index(), false, edge.get());
        return true;
    }

    private void hold(ChannelHandlerContext ctx, ReplyTo to, Route.Media rendition, boolean forPart, long msn, int partIndex, boolean skip,
                      LiveEdge edge) {
        RenditionKey key = new RenditionKey(rendition.streamId(), rendition.rendition(), rendition.container());
        HeldRequests requests = waiting.computeIfAbsent(key, k -> new HeldRequests(rendition));
        long timeoutNanos = TimeUnit.SECONDS.toNanos((long) TIMEOUT_TARGET_DURATIONS * edge.targetDurationSec());
        held.incrementAndGet();
        if (requests.add(new Waiter(ctx, to, forPart, msn, partIndex, skip, System.nanoTime() + timeoutNanos))) {
            sweepLater(requests, ctx.executor());
        }
        // an update may have landed between the caller's look at the live edge and the add: look again
        release(key);
    }

    private void sweepLater(HeldRequests requests, EventExecutor loop) {
        loop.schedule(() -> {
            dispatch(requests.takeExpired(System.nanoTime()), w -> OriginResources.error(503, "the requested part did not arrive in time"));
            if (requests.keepSweeping()) sweepLater(requests, loop);
        }, HeldRequests.SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onUpdate(String streamId, String rendition) {
        if (rendition == null) {
            for (RenditionKey key : waiting.keySet()) if (key.streamId().equals(streamId)) release(key);
        } else {
            for (Container c : Container.values()) release(new RenditionKey(streamId, rendition, c));
        }
    }

    /** Answers every waiter of the rendition that the store now satisfies. */
    private void release(RenditionKey key) {
        HeldRequests requests = waiting.get(key);
        if (requests == null || requests.isEmpty()) return; // the common case: every record lands here, few find anyone waiting
        Route.Media rendition = requests.playlist;
        LiveEdge edge = store.liveEdge(key.streamId(), key.container(), key.rendition()).orElse(null);
        List<Waiter> ready = requests.take(w -> edge == null || satisfied(w, rendition, edge));
        // one render per distinct answer, shared by every waiter that gets it
        Map<Object, Resource> answers = new HashMap<>();
        dispatch(ready, w -> answers.computeIfAbsent(w.answerKey(), k -> w.forPart
                ? resources.resolve(partRoute(rendition, w)) : resources.mediaPlaylist(rendition, w.skip)));
    }

    /** Answers each of {@code waiters} with its {@code answer}, in one task per event loop. */
    private void dispatch(List<Waiter> waiters, Function<Waiter, Resource> answer) {
        if (waiters.isEmpty()) return;
        Map<EventExecutor, List<Waiter>> byLoop = new IdentityHashMap<>();
        for (Waiter w : waiters) {
            w.answer = answer.apply(w);
            byLoop.computeIfAbsent(w.ctx.executor(), e -> new ArrayList<>()).add(w);
        }
        byLoop.forEach((loop, list) -> loop.execute(() -> {
            for (Waiter w : list) finish(w, w.answer);
        }));
    }

    private boolean satisfied(Waiter w, Route.Media rendition, LiveEdge edge) {
        if (edge.ended()) return true;
        if (!w.forPart) return edge.satisfies(w.msn, w.partIndex);
        // the hinted part: here, or known never to come (its segment closed without it, or a new one opened)
        return store.part(rendition.streamId(), rendition.container(), rendition.rendition(), w.msn, w.partIndex).isPresent()
                || edge.lastMsn() >= w.msn || edge.openMsn() > w.msn;
    }

    private static Route.Part partRoute(Route.Media rendition, Waiter w) {
        return new Route.Part(rendition.streamId(), rendition.rendition(), w.msn, w.partIndex, rendition.container());
    }

    private void finish(Waiter w, Resource resource) {
        held.decrementAndGet();
        writer.write(w.ctx, w.to, resource);
    }

    /** Answers now; returns true (the request was taken). */
    private boolean answer(ChannelHandlerContext ctx, ReplyTo to, Resource resource) {
        writer.write(ctx, to, resource);
        return true;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private record RenditionKey(String streamId, String rendition, Container container) {}
}
