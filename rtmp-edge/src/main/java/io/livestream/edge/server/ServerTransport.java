package io.livestream.edge.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The event loops' I/O and the listening channel. Linux's native epoll where its library loads: no JDK selector with its
 * selected-key set, no JDK read path (at 50 publishers its gain was within the run-to-run noise, BENCHMARKS.md, as
 * the syscalls stay the same); NIO elsewhere.
 */
record ServerTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannelClass) {
    /** Set to {@code nio} to keep the JDK transport where epoll would load (to compare, or to rule it out). */
    static final String PROPERTY = "livestream.edge.transport";

    static ServerTransport best() {
        return !"nio".equals(System.getProperty(PROPERTY)) && Epoll.isAvailable() ? epoll() : nio();
    }

    static ServerTransport epoll() {
        return new ServerTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }

    static ServerTransport nio() {
        return new ServerTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
