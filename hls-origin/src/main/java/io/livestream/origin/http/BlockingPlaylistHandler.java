package io.livestream.origin.http;

import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.store.LiveEdge;
import io.livestream.origin.store.SegmentStore;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LL-HLS requests that may wait (draft-pantos-hls-rfc8216bis 6.2.5-6.2.6): playlist reloads with {@code _HLS_msn} /
 * {@code _HLS_part} (held until the playlist holds that part), delta updates ({@code _HLS_skip=YES}) and requests
 * for the part the preload hint names (held until it is complete).
 *
 * <p>A held request costs no thread: it is a small {@link Waiter} (the channel context, what the answer needs from the
 * request as a {@link ReplyTo}, and the part it waits for; not the request, which is released) in its rendition's
 * set, with a timeout task on the channel's event loop. When the store reports an update (on the
 * consumer thread) the waiters it satisfies are taken out, each distinct answer (the playlist, full or delta, or a
 * part) is rendered once, and each event loop gets one task that writes the shared bytes to all of its waiters.
 */
public final class BlockingPlaylistHandler implements SegmentStore.UpdateListener {
    /** A request blocked longer than this many target durations gets 503, as the draft suggests. */
    static final int TIMEOUT_TARGET_DURATIONS = 3;

    private final OriginResources resources;
    private final ResponseWriter writer;
    private final SegmentStore store;
    private final ConcurrentHashMap<RenditionKey, Set<Waiter>> waiting = new ConcurrentHashMap<>();
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
        hold(new Waiter(ctx, to, media, null, msn, part, skip), edge.get());
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
        hold(new Waiter(ctx, to, media, null, edge.get().openMsn(), -1, false), edge.get());
        return true;
    }

    private boolean handlePart(ChannelHandlerContext ctx, ReplyTo to, Route.Part part) {
        if (store.part(part.streamId(), part.container(), part.rendition(), part.msn(), part.index()).isPresent()) return false;
        Optional<LiveEdge> edge = store.liveEdge(part.streamId(), part.container(), part.rendition());
        if (edge.isEmpty() || !edge.get().isHinted(part.msn(), part.index())) return false; // an ordinary 404
        hold(new Waiter(ctx, to, null, part, part.msn(), part.index(), false), edge.get());
        return true;
    }

    private void hold(Waiter w, LiveEdge edge) {
        RenditionKey key = w.key();
        Set<Waiter> set = waiting.computeIfAbsent(key, k -> new LinkedHashSet<>());
        synchronized (set) {
            set.add(w);
        }
        held.incrementAndGet();
        long timeoutMs = TimeUnit.SECONDS.toMillis((long) TIMEOUT_TARGET_DURATIONS * edge.targetDurationSec());
        w.timeout = w.ctx.executor().schedule(() -> {
            if (take(set, w)) finish(w, OriginResources.error(503, "the requested part did not arrive in time"));
        }, timeoutMs, TimeUnit.MILLISECONDS);
        // an update may have landed between the caller's look at the live edge and the add: look again
        release(key);
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
        Set<Waiter> set = waiting.get(key);
        if (set == null) return;
        synchronized (set) {
            if (set.isEmpty()) return; // the common case: every record lands here, few find anyone waiting
        }
        LiveEdge edge = store.liveEdge(key.streamId(), key.container(), key.rendition()).orElse(null);
        List<Waiter> ready = new ArrayList<>();
        synchronized (set) {
            for (Iterator<Waiter> it = set.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (edge == null || w.satisfiedBy(edge, store)) {
                    it.remove();
                    ready.add(w);
                }
            }
        }
        if (ready.isEmpty()) return;
        // one render per distinct answer, shared by every waiter that gets it
        Map<Object, Resource> answers = new HashMap<>();
        Map<EventExecutor, List<Waiter>> byLoop = new IdentityHashMap<>();
        for (Waiter w : ready) {
            w.answer = answers.computeIfAbsent(w.answerKey(), k -> w.media != null
                    ? resources.mediaPlaylist(w.media, w.skip) : resources.resolve(w.part));
            byLoop.computeIfAbsent(w.ctx.executor(), e -> new ArrayList<>()).add(w);
        }
        byLoop.forEach((loop, list) -> loop.execute(() -> {
            for (Waiter w : list) {
                w.timeout.cancel(false);
                finish(w, w.answer);
            }
        }));
    }

    private static boolean take(Set<Waiter> set, Waiter w) {
        synchronized (set) {
            return set.remove(w);
        }
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

    /** One held request. Identity semantics: two identical requests are two waiters. */
    private static final class Waiter {
        final ChannelHandlerContext ctx;
        final ReplyTo to;
        final Route.Media media;
        final Route.Part part;
        final long msn;
        final int partIndex;
        final boolean skip;
        io.netty.util.concurrent.Future<?> timeout;
        Resource answer;

        Waiter(ChannelHandlerContext ctx, ReplyTo to, Route.Media media, Route.Part part, long msn, int partIndex, boolean skip) {
            this.ctx = ctx;
            this.to = to;
            this.media = media;
            this.part = part;
            this.msn = msn;
            this.partIndex = partIndex;
            this.skip = skip;
        }

        RenditionKey key() {
            return media != null ? new RenditionKey(media.streamId(), media.rendition(), media.container())
                    : new RenditionKey(part.streamId(), part.rendition(), part.container());
        }

        boolean satisfiedBy(LiveEdge edge, SegmentStore store) {
            if (edge.ended()) return true;
            if (media != null) return edge.satisfies(msn, partIndex);
            // the hinted part: here, or known never to come (its segment closed without it, or a new one opened)
            return store.part(part.streamId(), part.container(), part.rendition(), msn, partIndex).isPresent() || edge.lastMsn() >= msn || edge.openMsn() > msn;
        }

        Object answerKey() {
            return media != null ? (Object) skip : part;
        }
    }
}
