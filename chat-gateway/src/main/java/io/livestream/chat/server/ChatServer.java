package io.livestream.chat.server;

import io.livestream.netguard.ServerTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bootstrap and shutdown of the gateway's one port (WebSocket + HTTP API). */
public final class ChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    private final ChatServices services;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    public ChatServer(ChatServices services) {
        this.services = services;
    }

    public synchronized int start() throws InterruptedException {
        ServerTransport transport = ServerTransport.best(); // epoll as the edge and the origin: a fan-out is many writes
        boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        workers = new MultiThreadIoEventLoopGroup(0, transport.ioHandlerFactory());
        channel = new ServerBootstrap().group(boss, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                // a socket counts as slow once 256 KiB wait for it; then frames queue in ChatConnection
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChatChannelInitializer(services))
                .bind(services.config().port()).sync().channel();
        int port = port();
        LOG.info("chat gateway {} listening on port {} ({})", services.config().gatewayId(), port, transport.name());
        return port;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        channel = null;
    }
}
