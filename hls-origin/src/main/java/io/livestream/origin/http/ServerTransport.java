package io.livestream.origin.http;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The event loops and the listening socket class the origin runs on: Linux's epoll where Netty's native library
 * loads, NIO's selector elsewhere (or with {@code -Dio.netty.transport.noNative=true}). An origin answer is one read
 * and one write, so the transport's cost per system call is much of it: epoll is edge-triggered, has no selected-key
 * set to walk and no JDK channel wrappers, which is where NIO lost to nginx on small playlists.
 */
record ServerTransport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {
    static ServerTransport best() {
        if (Epoll.isAvailable()) return new ServerTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        return new ServerTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
