package io.livestream.origin.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

/** Builds the origin's pipeline, nothing else. */
public final class OriginChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The largest request body (API JSON); anything larger gets a JSON 413 from {@link JsonLimitAggregator}. */
    public static final int MAX_REQUEST_BODY = 64 * 1024;

    private final OriginHttpHandler handler;
    private final int idleTimeoutSec;

    public OriginChannelInitializer(OriginHttpHandler handler, int idleTimeoutSec) {
        this.handler = handler;
        this.idleTimeoutSec = idleTimeoutSec;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, idleTimeoutSec));
        p.addLast("codec", new HttpServerCodec(4096, 8192, 8192));
        p.addLast("aggregator", new JsonLimitAggregator(MAX_REQUEST_BODY));
        p.addLast("origin", handler);
    }
}
