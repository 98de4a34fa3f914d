package io.livestream.chat.server;

import io.livestream.netguard.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Tells a live chat socket from a dead or hostile one: after {@code intervalSeconds} with nothing read it sends a
 * ping; if nothing (no pong, no frame) is read for another interval, it closes the socket. Browsers and WebSocket
 * libraries answer pings on their own, so a reader that never sends stays; a client gone without a FIN (a dropped
 * network) or one that holds sockets open without answering is closed after about two intervals.
 */
final class WebSocketKeepAlive extends IdleStateHandler {
    private final int intervalSeconds;
    private final RateLimitedLog log;
    private boolean pingUnanswered;

    WebSocketKeepAlive(int intervalSeconds, RateLimitedLog log) {
        super(intervalSeconds, 0, 0);
        this.intervalSeconds = intervalSeconds;
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        pingUnanswered = false;
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (pingUnanswered) {
            log.event("chat-no-pong", "closing chat socket from %s: no pong within %d s of a ping", ctx.channel().remoteAddress(), intervalSeconds);
            ctx.close();
            return;
        }
        pingUnanswered = true;
        ctx.writeAndFlush(new PingWebSocketFrame());
    }
}
