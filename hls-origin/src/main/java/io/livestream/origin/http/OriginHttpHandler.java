package io.livestream.origin.http;

import io.livestream.common.concurrent.BoundedExecutor;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch: routes each request with {@link OriginRouter}, checks the method, and hands it to its {@link RouteTable}
 * handler where the table says it runs; the answers are written by {@link ResponseWriter}.
 * Work on the blocking executor never holds the event loop: a full executor answers 503 + Retry-After at once.
 * Answers on one connection go out in request order: while one is deferred, later requests on it wait.
 */
@ChannelHandler.Sharable
public final class OriginHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(OriginHttpHandler.class);
    private static final AttributeKey<Deferred> DEFERRED = AttributeKey.valueOf("origin-deferred");

    private final OriginResources resources;
    private final RouteTable routes;
    private final BoundedExecutor blockingWork;
    private final DirectBodies media = new DirectBodies(DirectBodies.defaultMaxBytes());
    private final FileBodies files = FileBodies.inSharedMemory(FileBodies.DEFAULT_MAX_FILES, FileBodies.defaultMaxBytes());
    private final ResponseWriter writer = new ResponseWriter(media, files);
    private final BlockingPlaylistHandler blocking;
    private final GrowingSegmentHandler growing;

    /** The HLS routes only, on the event loop. */
    public OriginHttpHandler(OriginResources resources) {
        this(resources, RouteTable.builder().build(), null);
    }

    /**
     * @param routes the routes beyond live HLS and /health (API, recordings, pages, chat)
     * @param blockingWork where {@link RouteTable.Where#BLOCKING} handlers run; null if there are none
     */
    public OriginHttpHandler(OriginResources resources, RouteTable routes, BoundedExecutor blockingWork) {
        this.resources = resources;
        DashResources dash = new DashResources(resources.store());
        this.routes = resources.routes().with(dash.routes()).with(routes);
        this.blockingWork = blockingWork;
        this.blocking = new BlockingPlaylistHandler(resources, writer);
        this.growing = new GrowingSegmentHandler(dash, writer);
    }

    /** Frees the copies of stored media (the server stopped). */
    void close() {
        media.clear();
        if (files != null) files.clear();
    }

    /** DASH segments answered while they were being written (chunked), since start. */
    public long growingSegmentAnswers() {
        return growing.answered();
    }

    /** LL-HLS requests waiting for a part (for metrics and benchmarks). */
    public int heldRequests() {
        return blocking.heldRequests();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Deferred deferred = deferred(ctx);
        if (deferred != null && deferred.busy) {
            deferred.waiting.add(request.retain()); // answered after the one in flight, in order
            return;
        }
        serve(ctx, request);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        OriginRequest call = OriginRequest.of(request, ctx.channel().remoteAddress());
        ReplyTo to = ReplyTo.of(request);
        if (request.decoderResult().isFailure()) {
            writer.write(ctx, to, Resource.error(400, "malformed request"));
            return;
        }
        Route route = OriginRouter.route(request.uri());
        try {
            if (call.method().equals("OPTIONS")) {
                writer.send(ctx, to, preflight(call, route), null);
                return;
            }
            if (route instanceof Route.BadRequest bad) {
                writer.write(ctx, to, Resource.error(400, bad.reason()));
                return;
            }
            if (route instanceof Route.NotFound missing) {
                writer.write(ctx, to, Resource.error(404, missing.reason()));
                return;
            }
            if (!route.methods().allows(call.method())) {
                writer.write(ctx, to, Resource.error(405, "method not allowed"), route.methods().allowHeader);
                return;
            }
            if (isLiveHls(route) && resources.warmingUp()) {
                // a restarted origin replaying its look-back would serve minutes-old windows as live
                writer.write(ctx, to, Resource.unavailable("origin starting: reading the live windows from Kafka", 1));
                return;
            }
            if (blocking.handle(ctx, call, to, route)) return; // LL-HLS: answered, or held until its part lands
            if (growing.handle(ctx, request, route)) return; // LL-DASH: the segment being written, sent as it grows
            RouteTable.Entry entry = routes.find(route).orElse(null);
            if (entry == null) {
                writer.write(ctx, to, Resource.error(404, "not served by this origin"));
                return;
            }
            switch (entry.where()) {
                case EVENT_LOOP -> writer.write(ctx, to, answer(entry.handler(), route, call, false));
                case BLOCKING -> runBlocking(ctx, call, to, entry.handler(), route);
                case ASYNC -> runAsync(ctx, to, entry.async().handle(route, call));
            }
        } catch (RuntimeException e) {
            LOG.warn("failed to serve {} {}", call.method(), call.uri(), e);
            writer.write(ctx, to, Resource.error(500, "internal error"));
        }
    }

    private static boolean isLiveHls(Route route) {
        return route instanceof Route.Master || route instanceof Route.Media || route instanceof Route.Segment
                || route instanceof Route.Part || route instanceof Route.Init || route instanceof Route.DashManifest
                || route instanceof Route.DashInit || route instanceof Route.DashSegment;
    }

    private void runBlocking(ChannelHandlerContext ctx, OriginRequest call, ReplyTo to, RouteHandler<Route> handler, Route route) {
        if (blockingWork == null) throw new IllegalStateException("no blocking executor for " + route);
        Deferred deferred = defer(ctx);
        try {
            blockingWork.execute(() -> {
                Resource resource = answer(handler, route, call, true);
                ctx.executor().execute(() -> complete(ctx, to, resource, deferred));
            });
        } catch (RejectedExecutionException e) {
            complete(ctx, to, Resource.unavailable("overloaded: try again shortly", BoundedExecutor.RETRY_AFTER_SECONDS), deferred);
        }
    }

    private void runAsync(ChannelHandlerContext ctx, ReplyTo to, CompletionStage<Resource> answer) {
        Deferred deferred = defer(ctx);
        answer.whenComplete((resource, failure) -> ctx.executor().execute(() -> complete(ctx, to,
                failure == null ? resource : Resource.unavailable("upstream unavailable", BoundedExecutor.RETRY_AFTER_SECONDS), deferred)));
    }

    /** A handler's answer; its refusals become error answers, and a failing dependency 503 when {@code blockingCall}. */
    private static Resource answer(RouteHandler<Route> handler, Route route, OriginRequest call, boolean blockingCall) {
        try {
            return handler.handle(route, call);
        } catch (HttpError e) {
            return e.resource();
        } catch (RuntimeException e) {
            if (!blockingCall) throw e;
            LOG.warn("{} {} failed: {}", call.method(), call.uri(), e.toString());
            return Resource.unavailable("backend unavailable", BoundedExecutor.RETRY_AFTER_SECONDS);
        }
    }

    /** The connection's deferred state if an answer was ever deferred on it (looking with attr() would add one to every connection). */
    private static Deferred deferred(ChannelHandlerContext ctx) {
        return ctx.channel().hasAttr(DEFERRED) ? ctx.channel().attr(DEFERRED).get() : null;
    }

    /** Marks the connection busy: reading stops and requests already decoded wait in order. */
    private static Deferred defer(ChannelHandlerContext ctx) {
        Deferred deferred = ctx.channel().attr(DEFERRED).setIfAbsent(new Deferred());
        if (deferred == null) deferred = ctx.channel().attr(DEFERRED).get();
        deferred.busy = true;
        ctx.channel().config().setAutoRead(false);
        return deferred;
    }

    /** On the event loop: writes the deferred answer, then serves what waited behind it. */
    private void complete(ChannelHandlerContext ctx, ReplyTo to, Resource resource, Deferred deferred) {
        writer.write(ctx, to, resource);
        deferred.busy = false;
        while (!deferred.busy && !deferred.waiting.isEmpty()) {
            FullHttpRequest next = deferred.waiting.poll();
            try {
                if (ctx.channel().isActive()) serve(ctx, next);
            } finally {
                next.release();
            }
        }
        if (!deferred.busy) ctx.channel().config().setAutoRead(true);
    }

    /** 204 with the route's methods (those of HLS where nothing is routed). */
    private static FullHttpResponse preflight(OriginRequest call, Route route) {
        String methods = route instanceof Route.NotFound || route instanceof Route.BadRequest ? Route.Methods.GET.allowHeader : route.methods().allowHeader;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
        String requested = call.header(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested != null ? requested : "Range, If-None-Match");
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86400);
        h.set(HttpHeaderNames.ALLOW, methods);
        return response;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Deferred deferred = deferred(ctx);
        if (deferred != null) {
            FullHttpRequest waiting;
            while ((waiting = deferred.waiting.poll()) != null) waiting.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) ctx.close();
        else ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** Per connection, touched on its event loop only: whether an answer is in flight and what waits behind it. */
    private static final class Deferred {
        final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
        boolean busy;
    }
}
