package io.livestream.edge.server;

import io.livestream.edge.metrics.EdgeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts received bytes into the metrics and passes them on. */
@ChannelHandler.Sharable
final class InboundByteCounter extends ChannelInboundHandlerAdapter {
    private final EdgeMetrics metrics;

    InboundByteCounter(EdgeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) metrics.bytesIn(buf.readableBytes());
        ctx.fireChannelRead(msg);
    }
}
