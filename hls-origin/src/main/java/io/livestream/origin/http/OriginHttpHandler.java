package io.livestream.origin.http;

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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Date;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routing and response writing: conditional requests, ranges, HEAD and CORS. What to serve is {@link OriginResources}'s job. */
@ChannelHandler.Sharable
public final class OriginHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(OriginHttpHandler.class);
    private static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
    /** The control API also takes POSTs (with JSON and a bearer token) from browser pages on other origins. */
    private static final String API_METHODS = "GET, HEAD, POST, OPTIONS";
    private static final String EXPOSED_HEADERS = "Content-Length, Content-Range, Accept-Ranges, ETag, Cache-Control, Date";

    private final OriginResources resources;
    private final List<HttpExtension> extensions;
    private final BlockingPlaylistHandler blocking;

    public OriginHttpHandler(OriginResources resources) {
        this(resources, List.of());
    }

    public OriginHttpHandler(OriginResources resources, List<HttpExtension> extensions) {
        this.resources = resources;
        this.extensions = List.copyOf(extensions);
        this.blocking = new BlockingPlaylistHandler(resources);
    }

    /** LL-HLS requests waiting for a part (for metrics and benchmarks). */
    public int heldRequests() {
        return blocking.heldRequests();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            write(ctx, request, full(OriginResources.error(400, "malformed request"), null), false);
            return;
        }
        HttpMethod method = request.method();
        FullHttpResponse response;
        try {
            request.headers().set(io.livestream.origin.audience.ViewerHeartbeatExtension.CLIENT_IP_HEADER, // never the client's own
                    ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress().getHostAddress() : "");
            Resource extended = extended(request);
            if (extended != null) {
                response = respond(request, extended);
            } else if (method.equals(HttpMethod.OPTIONS)) {
                response = preflight(request);
            } else if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                response = full(OriginResources.error(405, "method not allowed"), null);
                response.headers().set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
            } else {
                Route route = OriginRouter.route(request.uri());
                if (blocking.handle(ctx, request, route)) return; // LL-HLS: answered, or held until its part lands
                response = respond(request, resources.resolve(route));
            }
        } catch (RuntimeException e) {
            LOG.warn("failed to serve {} {}", method, request.uri(), e);
            response = full(OriginResources.error(500, "internal error"), null);
        }
        write(ctx, request, response, keepAlive);
    }

    private Resource extended(FullHttpRequest request) {
        for (HttpExtension extension : extensions) {
            Resource resource = extension.handle(request);
            if (resource != null) return resource;
        }
        return null;
    }

    /** Answers {@code request} with {@code resource} like the HLS routes do; for requests answered later (held ones). */
    static void send(ChannelHandlerContext ctx, FullHttpRequest request, Resource resource) {
        write(ctx, request, respond(request, resource), HttpUtil.isKeepAlive(request));
    }

    private static FullHttpResponse respond(FullHttpRequest request, Resource resource) {
        if (resource.status() != 200) return full(resource, null);
        HttpHeaders in = request.headers();
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
        if (resource.rangeable()) h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (part != null) h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + body.length);
        return response;
    }

    private static void metadata(HttpHeaders h, Resource resource) {
        h.set(HttpHeaderNames.CACHE_CONTROL, resource.cacheControl());
        if (resource.etag() != null) h.set(HttpHeaderNames.ETAG, resource.etag());
    }

    private static FullHttpResponse preflight(FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
        HttpHeaders h = response.headers();
        String methods = request.uri().startsWith("/api/") ? API_METHODS : ALLOWED_METHODS;
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
        String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested != null ? requested : "Range, If-None-Match");
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86400);
        h.set(HttpHeaderNames.ALLOW, methods);
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepAlive) {
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        if (request.method().equals(HttpMethod.HEAD)) {
            // Keep Content-Length of the GET answer, send no body (the codec knows the request was HEAD).
            response.content().clear();
        }
        if (keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
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
}
