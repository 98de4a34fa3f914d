package io.livestream.netguard;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The event loops' I/O and the listening channel of the platform's servers: Linux's native epoll where its library
 * loads (edge-triggered, no JDK selector with its selected-key set to walk, no JDK channel wrappers: an origin answer
 * is one read and one write, so the cost per system call is much of it), NIO elsewhere.
 *
 * @param name "epoll" or "nio", for the server's start line
 */
public record ServerTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannelClass) {
    /** Set to {@code nio} to keep the JDK transport where epoll would load (to compare, or to rule it out). */
    public static final String PROPERTY = "livestream.transport";

    public static ServerTransport best() {
        return !"nio".equals(System.getProperty(PROPERTY)) && Epoll.isAvailable() ? epoll() : nio();
    }

    static ServerTransport epoll() {
        return new ServerTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }

    static ServerTransport nio() {
        return new ServerTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
