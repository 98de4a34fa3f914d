package io.livestream.origin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * Writes a {@link Resource} as the HTTP answer to a request: 304 for a matching If-None-Match, 206 / 416 for a Range
 * on stored media, no body for HEAD, the CORS and Date headers on every answer, and the connection closed after it
 * unless kept alive. Stored media goes from {@link DirectBodies} as its own buffer after the head: Netty's encoder
 * would copy a full message's body into the buffer it encodes the head in, another 500 KB per segment.
 */
final class ResponseWriter {
    private static final AsciiString ANY_ORIGIN = AsciiString.cached("*");
    private static final AsciiString EXPOSED_HEADERS =
            AsciiString.cached("Content-Length, Content-Range, Accept-Ranges, ETag, Cache-Control, Date, Retry-After");

    private final DirectBodies media;

    ResponseWriter(DirectBodies media) {
        this.media = media;
    }

    void write(ChannelHandlerContext ctx, ReplyTo to, Resource resource) {
        write(ctx, to, resource, null);
    }

    /** @param allow the Allow header (a 405's), or null */
    void write(ChannelHandlerContext ctx, ReplyTo to, Resource resource, String allow) {
        send(ctx, to, respond(to, resource), allow);
    }

    /** Sends a response built elsewhere (a preflight's) with the headers every answer has. */
    void send(ChannelHandlerContext ctx, ReplyTo to, FullHttpResponse response, String allow) {
        HttpHeaders h = response.headers();
        if (allow != null) h.set(HttpHeaderNames.ALLOW, allow);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        h.set(HttpHeaderNames.DATE, HttpDate.now());
        h.set(HttpHeaderNames.CONNECTION, to.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        // HEAD keeps the GET answer's Content-Length and sends no body (the codec knows the request was HEAD)
        if (to.head()) response.content().clear();
        LastHttpContent last = response;
        if (response.content().isDirect() && response.content().isReadable()) {
            ctx.write(new DefaultHttpResponse(response.protocolVersion(), response.status(), h), ctx.voidPromise());
            last = new DefaultLastHttpContent(response.content());
        }
        if (to.keepAlive()) ctx.writeAndFlush(last, ctx.voidPromise());
        else ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    private FullHttpResponse respond(ReplyTo to, Resource resource) {
        if (resource.status() != 200) return full(resource, null);
        if (EntityTags.noneMatchFails(to.ifNoneMatch(), resource.etag())) {
            FullHttpResponse notModified = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            metadata(notModified.headers(), resource);
            return notModified;
        }
        if (!resource.rangeable()) return full(resource, null);
        ByteRange range = ByteRange.parse(to.range(), resource.body().length);
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
    private FullHttpResponse full(Resource resource, ByteRange.Part part) {
        byte[] body = resource.body();
        ByteBuf content = body(resource);
        if (part != null) content = content.slice((int) part.first(), (int) part.length()); // shares the one reference
        HttpResponseStatus status = part != null ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.valueOf(resource.status());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, resource.contentType());
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        metadata(h, resource);
        if (resource.retryAfterSec() != null) h.set(HttpHeaderNames.RETRY_AFTER, resource.retryAfterSec());
        if (resource.rangeable()) h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (part != null) h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + body.length);
        return response;
    }

    /**
     * Stored media (the rangeable resources: segments, parts, inits) from its direct copy; anything else (playlists,
     * JSON) is small and made per answer, and the encoder puts it in the head's buffer, which is what it should do.
     */
    private ByteBuf body(Resource resource) {
        return resource.rangeable() && resource.body().length > 0 ? media.retained(resource.body()) : Unpooled.wrappedBuffer(resource.body());
    }

    private static void metadata(HttpHeaders h, Resource resource) {
        h.set(HttpHeaderNames.CACHE_CONTROL, resource.cacheControl());
        if (resource.etag() != null) h.set(HttpHeaderNames.ETAG, resource.etag());
    }
}
