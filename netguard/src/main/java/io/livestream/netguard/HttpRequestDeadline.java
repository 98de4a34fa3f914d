package io.livestream.netguard;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Each HTTP request must arrive whole (request line, headers and body) within a time from its first byte; a client
 * that drips a request (slowloris) is closed then. Between requests a keep-alive connection is idle and the idle
 * timeout applies instead. Two handlers around the HTTP codec: one sees a request's first bytes, the other its end.
 */
public final class HttpRequestDeadline {
    static final String BYTES = "request-deadline-bytes";
    static final String END = "request-deadline-end";

    private final long timeoutMs;
    private final RateLimitedLog log;
    private ScheduledFuture<?> timer;
    private boolean reading;

    private HttpRequestDeadline(long timeoutMs, RateLimitedLog log) {
        this.timeoutMs = timeoutMs;
        this.log = log;
    }

    /** Puts the deadline around the handler named {@code codec} (an HttpServerCodec or HttpRequestDecoder). */
    public static void install(ChannelPipeline pipeline, String codec, long timeoutMs, RateLimitedLog log) {
        HttpRequestDeadline deadline = new HttpRequestDeadline(timeoutMs, log);
        pipeline.addBefore(codec, BYTES, deadline.new FirstBytes());
        pipeline.addAfter(codec, END, deadline.new End());
    }

    /** Takes the deadline out, e.g. once the connection is upgraded to a WebSocket. */
    public static void remove(ChannelPipeline pipeline) {
        if (pipeline.get(BYTES) != null) pipeline.remove(BYTES);
        if (pipeline.get(END) != null) pipeline.remove(END);
    }

    private void cancel() {
        reading = false;
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private final class FirstBytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!reading && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                reading = true;
                timer = ctx.executor().schedule(() -> {
                    log.event("http-request", "closing %s: request not complete within %d ms of its first byte",
                            ConnectionGate.address(ctx.channel().remoteAddress()), timeoutMs);
                    ctx.close();
                }, timeoutMs, TimeUnit.MILLISECONDS);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }
    }

    private final class End extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof LastHttpContent) cancel();
            super.channelRead(ctx, msg);
        }
    }
}
