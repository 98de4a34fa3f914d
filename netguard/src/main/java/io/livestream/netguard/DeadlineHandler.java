package io.livestream.netguard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connection unless a milestone (an RTMP handshake, a publish) is met within a time from when the
 * connection opened: the code that sees the milestone calls {@link #met}, which takes the handler out. A read
 * timeout alone lets a client that sends one byte every few seconds hold a connection forever; this does not.
 */
public final class DeadlineHandler extends ChannelInboundHandlerAdapter {
    private final String milestone;
    private final long timeoutMs;
    private final RateLimitedLog log;
    private ScheduledFuture<?> timer;

    /** @param milestone what must happen, for the log line ("the handshake") */
    public DeadlineHandler(String milestone, long timeoutMs, RateLimitedLog log) {
        this.milestone = milestone;
        this.timeoutMs = timeoutMs;
        this.log = log;
    }

    /** The milestone is met: removes the handler named {@code name} from {@code pipeline} if it is still there. */
    public static void met(ChannelPipeline pipeline, String name) {
        if (pipeline.get(name) != null) pipeline.remove(name);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) arm(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer != null) return;
        timer = ctx.executor().schedule(() -> {
            log.event(milestone, "closing %s: %s not done within %d ms", ConnectionGate.address(ctx.channel().remoteAddress()), milestone, timeoutMs);
            ctx.close();
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }
}
