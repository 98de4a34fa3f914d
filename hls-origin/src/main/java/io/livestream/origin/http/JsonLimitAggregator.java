package io.livestream.origin.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * An aggregator whose 413 for an oversized body is the platform's JSON error. The connection closes once the rest of
 * that body has arrived (discarded unread), or after a short grace: closing while the client still uploads would
 * reset the connection and lose the 413 it is about to read.
 */
final class JsonLimitAggregator extends HttpObjectAggregator {
    private static final long CLOSE_GRACE_MS = 2_000;

    private boolean closeAfterBody;

    JsonLimitAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        boolean last = msg instanceof LastHttpContent;
        super.channelRead(ctx, msg);
        if (closeAfterBody && last) ctx.close();
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Resource error = OriginResources.error(413, "request body over " + (OriginChannelInitializer.MAX_REQUEST_BODY / 1024) + " KiB");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(error.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, error.contentType());
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, error.body().length);
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        closeAfterBody = true;
        ctx.writeAndFlush(response);
        ctx.executor().schedule(() -> { ctx.close(); }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }
}
