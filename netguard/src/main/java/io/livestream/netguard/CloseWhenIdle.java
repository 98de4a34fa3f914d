package io.livestream.netguard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection on which nothing was read or written for a while. Not logged: an idle keep-alive connection
 * expiring is what browsers' connections normally do, not an attack (the request deadline is what catches a drip).
 */
public final class CloseWhenIdle extends IdleStateHandler {
    public CloseWhenIdle(int idleSeconds) {
        super(0, 0, idleSeconds);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
