package io.livestream.netguard;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Answers a request the HTTP codec could not decode as HTTP wants it: 414 for a request line over the codec's limit,
 * 431 for headers over it, 400 for anything else malformed; a JSON body {@code {"error": ...}} as every route of the
 * platform has, then closes (the codec discards the rest of that connection's bytes). One rate-limited log line per
 * kind. Sits right after the codec; everything it does not answer passes on.
 */
public final class OversizedRequestResponder extends ChannelInboundHandlerAdapter {
    static final long CLOSE_GRACE_MS = 500;

    private final RateLimitedLog log;
    private boolean answered;

    public OversizedRequestResponder(RateLimitedLog log) {
        this.log = log;
    }

    /** The status and error text for a decoding failure. */
    public static HttpResponseStatus statusOf(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        if (cause instanceof TooLongHttpHeaderException) return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        return HttpResponseStatus.BAD_REQUEST;
    }

    static String errorOf(HttpResponseStatus status) {
        return switch (status.code()) {
            case 414 -> "request line too long";
            case 431 -> "request headers too large";
            default -> "malformed request";
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (answered) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpObject http) || http.decoderResult().isSuccess()) {
            super.channelRead(ctx, msg);
            return;
        }
        answered = true;
        ReferenceCountUtil.release(msg);
        // a connection closed mid-request (by its client or a deadline) decodes as a failure too: nobody to answer
        if (!ctx.channel().isActive()) return;
        HttpResponseStatus status = statusOf(http.decoderResult().cause());
        String error = errorOf(status);
        log.event("http-" + status.code(), "answering %d to %s: %s", status.code(), ConnectionGate.address(ctx.channel().remoteAddress()), error);
        byte[] body = ("{\"error\":\"" + error + "\"}").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // closing at once would reset a connection whose client still sends its headers, losing the answer
        ctx.writeAndFlush(response).addListener(f -> ctx.executor().schedule(() -> { ctx.close(); }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS));
    }
}
