package io.livestream.origin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;

/**
 * Writes a {@link Resource} as the HTTP answer to a request: 304 for a matching If-None-Match, 206 / 416 for a Range
 * on stored media, no body for HEAD, the CORS and Date headers on every answer, and the connection closed after it
 * unless kept alive. Stored media goes after the head on its own: whole segments on plain sockets as a region of a
 * {@link FileBodies} file (sendfile, no copy), the rest from {@link DirectBodies} (Netty's encoder would copy a full
 * message's body into the buffer it encodes the head in, another 500 KB per segment).
 */
final class ResponseWriter {
    /** nginx's own expiry header, ahead of Cache-Control for its cache; nginx does not pass it on to clients. */
    private static final AsciiString X_ACCEL_EXPIRES = AsciiString.cached("X-Accel-Expires");
    private static final AsciiString ANY_ORIGIN = AsciiString.cached("*");
    private static final AsciiString EXPOSED_HEADERS =
            AsciiString.cached("Content-Length, Content-Range, Accept-Ranges, ETag, Cache-Control, Date, Retry-After");

    private final DirectBodies media;
    private final FileBodies files;

    /** @param files where whole segments are sent from; null sends them from {@code media} too */
    ResponseWriter(DirectBodies media, FileBodies files) {
        this.media = media;
        this.files = files;
    }

    /** What a response is: its head (and body, unless {@code file} carries it). */
    private record Reply(FullHttpResponse response, FileRegion file) {}

    void write(ChannelHandlerContext ctx, ReplyTo to, Resource resource) {
        write(ctx, to, resource, null);
    }

    /** @param allow the Allow header (a 405's), or null */
    void write(ChannelHandlerContext ctx, ReplyTo to, Resource resource, String allow) {
        send(ctx, to, respond(to, resource, files != null && !to.head() && plainSocket(ctx)), allow);
    }

    /** Sends a response built elsewhere (a preflight's) with the headers every answer has. */
    void send(ChannelHandlerContext ctx, ReplyTo to, FullHttpResponse response, String allow) {
        send(ctx, to, new Reply(response, null), allow);
    }

    private void send(ChannelHandlerContext ctx, ReplyTo to, Reply reply, String allow) {
        FullHttpResponse response = reply.response();
        HttpHeaders h = response.headers();
        if (allow != null) h.set(HttpHeaderNames.ALLOW, allow);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        h.set(HttpHeaderNames.DATE, HttpDate.now());
        h.set(HttpHeaderNames.CONNECTION, to.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        // HEAD keeps the GET answer's Content-Length and sends no body (the codec knows the request was HEAD)
        if (to.head()) response.content().clear();
        LastHttpContent last = response;
        boolean corked = false;
        if (reply.file() != null) {
            corked = cork(ctx.channel(), true);
            ctx.write(new DefaultHttpResponse(response.protocolVersion(), response.status(), h), ctx.voidPromise());
            ctx.write(reply.file(), ctx.voidPromise());
            last = LastHttpContent.EMPTY_LAST_CONTENT;
        } else if (response.content().isDirect() && response.content().isReadable()) {
            ctx.write(new DefaultHttpResponse(response.protocolVersion(), response.status(), h), ctx.voidPromise());
            last = new DefaultLastHttpContent(response.content());
        }
        if (!corked && to.keepAlive()) {
            ctx.writeAndFlush(last, ctx.voidPromise()); // nothing to do after it: no promise to allocate
            return;
        }
        ChannelFuture sent = ctx.writeAndFlush(last);
        if (corked) sent.addListener(f -> cork(ctx.channel(), false));
        if (!to.keepAlive()) sent.addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * TCP_CORK on an epoll socket (nginx's tcp_nopush): the head and the file's first bytes leave in full packets
     * instead of the head in a packet of its own (TCP_NODELAY); uncorked once the file is written. False elsewhere.
     */
    private static boolean cork(Channel channel, boolean on) {
        if (!(channel instanceof EpollSocketChannel epoll) || !channel.isOpen()) return false;
        epoll.config().setTcpCork(on);
        return true;
    }

    /** @param fileAllowed whether a whole segment may go as a file region (a plain socket, a body to send) */
    private Reply respond(ReplyTo to, Resource resource, boolean fileAllowed) {
        if (resource.status() != 200) return full(resource, null, false);
        if (EntityTags.noneMatchFails(to.ifNoneMatch(), resource.etag())) {
            FullHttpResponse notModified = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            metadata(notModified.headers(), resource);
            return new Reply(notModified, null);
        }
        if (!resource.rangeable()) return full(resource, null, false);
        ByteRange range = ByteRange.parse(to.range(), resource.body().length);
        if (range instanceof ByteRange.Unsatisfiable) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + resource.body().length);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            return new Reply(response, null);
        }
        boolean asFile = fileAllowed && resource.body().length >= FileBodies.MIN_BYTES;
        return full(resource, range instanceof ByteRange.Part part ? part : null, asFile);
    }

    /**
     * The resource's body (or {@code part} of it) with its metadata headers; the status is the resource's or 206.
     * {@code asFile}: the body goes as a region of its file, the response carrying the head only.
     */
    private Reply full(Resource resource, ByteRange.Part part, boolean asFile) {
        byte[] body = resource.body();
        long first = part == null ? 0 : part.first();
        long length = part == null ? body.length : part.length();
        FileRegion file = asFile ? files.region(body, first, length) : null;
        ByteBuf content = file != null ? Unpooled.EMPTY_BUFFER : body(resource);
        if (part != null && file == null) content = content.slice((int) first, (int) length); // shares the one reference
        HttpResponseStatus status = part != null ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.valueOf(resource.status());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, resource.contentType());
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, (int) length);
        metadata(h, resource);
        if (resource.retryAfterSec() != null) h.set(HttpHeaderNames.RETRY_AFTER, resource.retryAfterSec());
        if (resource.rangeable()) h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (part != null) h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + body.length);
        return new Reply(response, file);
    }

    /** A TCP connection with nothing between it and the HTTP codec that needs buffers (TLS, an HTTP/2 stream). */
    private static boolean plainSocket(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof SocketChannel && ctx.pipeline().get(SslHandler.class) == null;
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
        if (resource.liveMaxAgeSec() > 0) h.set(X_ACCEL_EXPIRES, Resource.sharedCacheExpiry(System.currentTimeMillis(), resource.liveMaxAgeSec()));
        if (resource.etag() != null) h.set(HttpHeaderNames.ETAG, resource.etag());
    }
}
