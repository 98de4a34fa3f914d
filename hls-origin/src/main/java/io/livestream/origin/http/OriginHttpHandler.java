package io.livestream.origin.http;

import io.livestream.common.concurrent.BoundedExecutor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch and response writing: routes each request with {@link OriginRouter}, checks the method, and hands it to
 * its {@link RouteTable} handler where the table says it runs; writes conditional, range, HEAD and CORS answers.
 * Work on the blocking executor never holds the event loop: a full executor answers 503 + Retry-After at once.
 * Answers on one connection go out in request order: while one is deferred, later requests on it wait.
 */
@ChannelHandler.Sharable
public final class OriginHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(OriginHttpHandler.class);
    private static final String EXPOSED_HEADERS = "Content-Length, Content-Range, Accept-Ranges, ETag, Cache-Control, Date, Retry-After";
    private static final AttributeKey<Deferred> DEFERRED = AttributeKey.valueOf("origin-deferred");

    private final OriginResources resources;
    private final RouteTable routes;
    private final BoundedExecutor blockingWork;
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
        this.blocking = new BlockingPlaylistHandler(resources);
        this.growing = new GrowingSegmentHandler(dash);
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
        Deferred deferred = ctx.channel().attr(DEFERRED).get();
        if (deferred != null && deferred.busy) {
            deferred.waiting.add(request.retain()); // answered after the one in flight, in order
            return;
        }
        serve(ctx, request);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        OriginRequest call = OriginRequest.of(request, ctx.channel().remoteAddress());
        if (request.decoderResult().isFailure()) {
            write(ctx, call, Resource.error(400, "malformed request"));
            return;
        }
        Route route = OriginRouter.route(request.uri());
        try {
            if (call.method().equals("OPTIONS")) {
                finish(ctx, call, preflight(call, route), null);
                return;
            }
            if (route instanceof Route.BadRequest bad) {
                write(ctx, call, Resource.error(400, bad.reason()));
                return;
            }
            if (route instanceof Route.NotFound missing) {
                write(ctx, call, Resource.error(404, missing.reason()));
                return;
            }
            if (!route.methods().allows(call.method())) {
                write(ctx, call, Resource.error(405, "method not allowed"), route.methods().allowHeader);
                return;
            }
            if (isLiveHls(route) && resources.warmingUp()) {
                // a restarted origin replaying its look-back would serve minutes-old windows as live
                write(ctx, call, Resource.unavailable("origin starting: reading the live windows from Kafka", 1));
                return;
            }
            if (blocking.handle(ctx, request, route)) return; // LL-HLS: answered, or held until its part lands
            if (growing.handle(ctx, request, route)) return; // LL-DASH: the segment being written, sent as it grows
            RouteTable.Entry entry = routes.find(route).orElse(null);
            if (entry == null) {
                write(ctx, call, Resource.error(404, "not served by this origin"));
                return;
            }
            switch (entry.where()) {
                case EVENT_LOOP -> write(ctx, call, answer(entry.handler(), route, call, false));
                case BLOCKING -> runBlocking(ctx, call, entry.handler(), route);
                case ASYNC -> runAsync(ctx, call, entry.async().handle(route, call));
            }
        } catch (RuntimeException e) {
            LOG.warn("failed to serve {} {}", call.method(), call.uri(), e);
            write(ctx, call, Resource.error(500, "internal error"));
        }
    }

    private static boolean isLiveHls(Route route) {
        return route instanceof Route.Master || route instanceof Route.Media || route instanceof Route.Segment
                || route instanceof Route.Part || route instanceof Route.Init || route instanceof Route.DashManifest
                || route instanceof Route.DashInit || route instanceof Route.DashSegment;
    }

    private void runBlocking(ChannelHandlerContext ctx, OriginRequest call, RouteHandler<Route> handler, Route route) {
        if (blockingWork == null) throw new IllegalStateException("no blocking executor for " + route);
        Deferred deferred = defer(ctx);
        try {
            blockingWork.execute(() -> {
                Resource resource = answer(handler, route, call, true);
                ctx.executor().execute(() -> complete(ctx, call, resource, deferred));
            });
        } catch (RejectedExecutionException e) {
            complete(ctx, call, Resource.unavailable("overloaded: try again shortly", BoundedExecutor.RETRY_AFTER_SECONDS), deferred);
        }
    }

    private void runAsync(ChannelHandlerContext ctx, OriginRequest call, CompletionStage<Resource> answer) {
        Deferred deferred = defer(ctx);
        answer.whenComplete((resource, failure) -> ctx.executor().execute(() -> complete(ctx, call,
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

    /** Marks the connection busy: reading stops and requests already decoded wait in order. */
    private static Deferred defer(ChannelHandlerContext ctx) {
        Deferred deferred = ctx.channel().attr(DEFERRED).setIfAbsent(new Deferred());
        if (deferred == null) deferred = ctx.channel().attr(DEFERRED).get();
        deferred.busy = true;
        ctx.channel().config().setAutoRead(false);
        return deferred;
    }

    /** On the event loop: writes the deferred answer, then serves what waited behind it. */
    private void complete(ChannelHandlerContext ctx, OriginRequest call, Resource resource, Deferred deferred) {
        write(ctx, call, resource);
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

    /** Answers {@code request} with {@code resource} like the HLS routes do; for requests answered later (held ones). */
    static void send(ChannelHandlerContext ctx, FullHttpRequest request, Resource resource) {
        write(ctx, OriginRequest.of(request, ctx.channel().remoteAddress()), resource);
    }

    private static FullHttpResponse respond(OriginRequest call, Resource resource) {
        if (resource.status() != 200) return full(resource, null);
        HttpHeaders in = call.headers();
        if (EntityTags.noneMatchFails(in.get(HttpHeaderNames.IF_NONE_MATCH), resource.etag())) {
            FullHttpResponse notModified = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            metadata(notModified.headers(), resource);
            return notModified;
        }
        if (!resource.rangeable()) return full(resource, null);
        ByteRange range = ByteRange.parse(in.get(HttpHeaderNames.RANGE), resource.body().length);
        if (range instanceof ByteRange.Unsatisfiable) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + resource.body().length);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            return response;
        }
        return full(resource, range instanceof ByteRange.Part part ? part : null);
    }

    /** The resource's body (or {@code part} of it) with its metadata headers; the status is the resource's or 206. */
    private static FullHttpResponse full(Resource resource, ByteRange.Part part) {
        byte[] body = resource.body();
        ByteBuf content = part == null ? Unpooled.wrappedBuffer(body) : Unpooled.wrappedBuffer(body, (int) part.first(), (int) part.length());
        HttpResponseStatus status = part != null ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.valueOf(resource.status());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, resource.contentType());
        h.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        metadata(h, resource);
        if (resource.retryAfterSec() != null) h.set(HttpHeaderNames.RETRY_AFTER, resource.retryAfterSec());
        if (resource.rangeable()) h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (part != null) h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + body.length);
        return response;
    }

    private static void metadata(HttpHeaders h, Resource resource) {
        h.set(HttpHeaderNames.CACHE_CONTROL, resource.cacheControl());
        if (resource.etag() != null) h.set(HttpHeaderNames.ETAG, resource.etag());
    }

    private static void write(ChannelHandlerContext ctx, OriginRequest call, Resource resource) {
        write(ctx, call, resource, null);
    }

    private static void write(ChannelHandlerContext ctx, OriginRequest call, Resource resource, String allow) {
        finish(ctx, call, respond(call, resource), allow);
    }

    private static void finish(ChannelHandlerContext ctx, OriginRequest call, FullHttpResponse response, String allow) {
        HttpHeaders h = response.headers();
        if (allow != null) h.set(HttpHeaderNames.ALLOW, allow);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        if (call.isHead()) {
            // Keep Content-Length of the GET answer, send no body (the codec knows the request was HEAD).
            response.content().clear();
        }
        if (call.keepAlive()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
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
        Deferred deferred = ctx.channel().attr(DEFERRED).get();
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
