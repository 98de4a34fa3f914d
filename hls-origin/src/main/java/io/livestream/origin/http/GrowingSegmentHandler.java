package io.livestream.origin.http;

import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.store.LiveEdge;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoredPart;
import io.livestream.origin.store.StoredSegment;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * LL-DASH's growing segment: a request for the segment being written (or the next one, asked a little early) is
 * answered with chunked transfer, one HTTP chunk per CMAF chunk (LL-HLS part) as it lands, and ends when the segment
 * is whole. No thread waits: each stream is a small {@link Sending} woken by the store's update notices, its work on
 * its channel's event loop. While one is sent, its connection reads nothing more (HTTP/1.1 answers leave in order).
 */
public final class GrowingSegmentHandler implements SegmentStore.UpdateListener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GrowingSegmentHandler.class);
    /** A segment whose end did not come within this many target durations (plus one) is ended where it is. */
    static final int TIMEOUT_TARGET_DURATIONS = 3;

    private final DashResources dash;
    private final ResponseWriter writer;
    private final SegmentStore store;
    private final Set<Sending> sending = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();

    GrowingSegmentHandler(DashResources dash, ResponseWriter writer) {
        this.dash = dash;
        this.writer = writer;
        this.store = dash.store();
        store.addUpdateListener(this);
    }

    /** Segments answered while they were written (their first chunk went out before they were whole), since start. */
    public long answered() {
        return answered.get();
    }

    /**
     * Takes a GET for the segment being written, or for the one after it: sends it as it grows. Returns false for
     * anything else (a whole segment, one that will not come), which the ordinary routes answer. On the event loop.
     */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, Route route) {
        if (!(route instanceof Route.DashSegment s) || !request.method().name().equals("GET")) return false;
        if (store.segment(s.streamId(), Container.FMP4, s.rendition(), s.number()).isPresent()) return false;
        Optional<LiveEdge> edge = store.liveEdge(s.streamId(), Container.FMP4, s.rendition());
        if (edge.isEmpty() || edge.get().ended()) return false;
        long openMsn = edge.get().openMsn();
        boolean next = s.number() == openMsn + 1 && edge.get().openParts() > 0;
        if (s.number() != openMsn && !next) return false;
        Sending w = new Sending(ctx, request.retain(), s); // released once answered
        sending.add(w);
        ctx.channel().config().setAutoRead(false);
        long timeoutMs = TimeUnit.SECONDS.toMillis((long) (TIMEOUT_TARGET_DURATIONS + 1) * edge.get().targetDurationSec());
        w.timeout = ctx.executor().schedule(() -> w.finish(true), timeoutMs, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(w.onClose);
        w.pump();
        return true;
    }

    @Override
    public void onUpdate(String streamId, String rendition) {
        for (Sending w : sending) {
            if (w.route.streamId().equals(streamId) && (rendition == null || rendition.equals(w.route.rendition()))) {
                w.ctx.executor().execute(w::pump);
            }
        }
    }

    /** One segment being sent; touched on its channel's event loop only. */
    private final class Sending {
        final ChannelHandlerContext ctx;
        final FullHttpRequest request;
        final boolean keepAlive;
        final Route.DashSegment route;
        io.netty.util.concurrent.Future<?> timeout;
        /** Removed once answered: a keep-alive connection carries many segments and must not keep them all. */
        final ChannelFutureListener onClose;
        DashResources.Splitter splitter;
        byte[] firstPart;
        int nextPart;
        /** How many bytes of the muxed segment went out (split): the parts so far, as the whole segment is its parts. */
        int muxedSent;
        boolean headersSent;
        boolean done;

        Sending(ChannelHandlerContext ctx, FullHttpRequest request, Route.DashSegment route) {
            this.ctx = ctx;
            this.request = request;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.onClose = f -> ctx.executor().execute(() -> finish(false));
            this.route = route;
        }

        void pump() {
            try {
                sendWhatLanded();
            } catch (RuntimeException e) { // media the splitter cannot cut: end the answer rather than leave it hanging
                LOG.warn("growing segment {} failed: {}", route, e.toString());
                finish(true);
            }
        }

        private void sendWhatLanded() {
            if (done) return;
            if (!ctx.channel().isActive()) {
                finish(false);
                return;
            }
            StoredPart part;
            while ((part = store.part(route.streamId(), Container.FMP4, route.rendition(), route.number(), nextPart).orElse(null)) != null) {
                if (!send(part.bytes())) return;
                nextPart++;
                muxedSent += part.bytes().length;
            }
            Optional<StoredSegment> whole = store.segment(route.streamId(), Container.FMP4, route.rendition(), route.number());
            if (whole.isPresent()) {
                byte[] bytes = whole.get().bytes();
                // the parts not sent yet (a segment with parts is its parts, byte for byte)
                if (muxedSent < bytes.length && !send(java.util.Arrays.copyOfRange(bytes, muxedSent, bytes.length))) return;
                finish(false);
                return;
            }
            Optional<LiveEdge> edge = store.liveEdge(route.streamId(), Container.FMP4, route.rendition());
            // never coming: the stream ended, or a later segment opened without this one closing (a gap)
            if (edge.isEmpty() || edge.get().ended() || edge.get().openMsn() > route.number()) finish(false);
        }

        /** Writes one track's samples of {@code muxed}; false if the track cannot be cut (the answer then ended). */
        private boolean send(byte[] muxed) {
            if (splitter == null) {
                firstPart = muxed;
                String initId = store.mediaPlaylist(route.streamId(), Container.FMP4, route.rendition())
                        .map(DashResources::newestInitId).orElse(null);
                splitter = dash.splitter(route.streamId(), route.rendition(), initId, route.track(), route.number()).orElse(null);
                if (splitter == null) {
                    finish(true);
                    return false;
                }
            }
            byte[] own = splitter.split(muxed, route.number(), firstPart);
            if (!headersSent) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, Resource.MP4_TYPE);
                head.headers().set(HttpHeaderNames.CACHE_CONTROL, OriginResources.NO_CACHE);
                head.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
                head.headers().set(HttpHeaderNames.DATE, HttpDate.now());
                head.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.write(head, ctx.voidPromise());
                headersSent = true;
                answered.incrementAndGet();
            }
            if (own.length > 0) ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(own)), ctx.voidPromise());
            else ctx.flush();
            return true;
        }

        /** Ends the answer: its last chunk if it began, else a 404 (or 503 when {@code timedOut}). */
        void finish(boolean timedOut) {
            if (done) return;
            done = true;
            sending.remove(this);
            if (timeout != null) timeout.cancel(false);
            ctx.channel().closeFuture().removeListener(onClose);
            firstPart = null;
            try {
                if (ctx.channel().isActive()) answerEnd(timedOut);
            } finally {
                request.release();
            }
            ctx.channel().config().setAutoRead(true);
        }

        private void answerEnd(boolean timedOut) {
            if (headersSent) {
                var last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) last.addListener(ChannelFutureListener.CLOSE);
            } else {
                Resource refusal = timedOut ? Resource.unavailable("the segment did not start in time", 1)
                        : OriginResources.error(404, "segment not available");
                writer.write(ctx, ReplyTo.of(request), refusal);
            }
        }
    }
}
