package io.livestream.chat.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;

/** HTTP first; {@link ChatHttpHandler} swaps itself for the WebSocket handlers on an upgrade to /chat/{id}. */
public final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final int MAX_HTTP_BODY = 16 * 1024;
    static final int FLUSHES_PER_SYSCALL = 64;
    private final ChatServices services;

    public ChatChannelInitializer(ChatServices services) {
        this.services = services;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // a room message is one flush per socket; under load, flushes queued in one loop turn become one syscall
        ch.pipeline().addLast("flush-consolidation", new FlushConsolidationHandler(FLUSHES_PER_SYSCALL, true));
        ch.pipeline().addLast("http", new HttpServerCodec());
        ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_BODY));
        ch.pipeline().addLast("chat-http", new ChatHttpHandler(services));
    }
}
