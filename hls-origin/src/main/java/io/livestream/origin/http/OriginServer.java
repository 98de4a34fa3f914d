package io.livestream.origin.http;

import io.livestream.common.concurrent.BoundedExecutor;
import io.livestream.netguard.ServerTransport;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.tls.OriginTls;
import io.livestream.origin.tls.TlsConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import io.livestream.origin.metrics.OriginMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HLS origin's HTTP server: bootstrap, event loops and graceful shutdown. */
public final class OriginServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginServer.class);

    private final OriginConfig config;
    private final SegmentStore store;
    private final RouteTable routes;
    private final OriginMetrics metrics;
    private BoundedExecutor blockingWork;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private volatile OriginHttpHandler handler;
    private ServerTransport transport;
    private Channel serverChannel;
    private TlsConfig tls;
    private Channel tlsChannel;

    /** Live HLS and /health only. */
    public OriginServer(OriginConfig config, SegmentStore store) {
        this(config, store, RouteTable.builder().build());
    }

    /** With the routes beyond live HLS (API, recordings, pages, chat). */
    public OriginServer(OriginConfig config, SegmentStore store, RouteTable routes) {
        this(config, store, routes, null);
    }

    /** @param metrics where every answer and connection is counted; null counts nothing */
    public OriginServer(OriginConfig config, SegmentStore store, RouteTable routes, OriginMetrics metrics) {
        this.config = config;
        this.store = store;
        this.routes = routes;
        this.metrics = metrics;
    }

    /** Serves HTTPS (HTTP/2 by ALPN, or HTTP/1.1) on {@code config.port()} as well; call before {@link #start()}. */
    public synchronized OriginServer withTls(TlsConfig config) {
        if (serverChannel != null) throw new IllegalStateException("already started");
        this.tls = config;
        return this;
    }

    /** Binds and returns the bound port (useful with port 0). */
    public synchronized int start() throws InterruptedException {
        if (serverChannel != null) throw new IllegalStateException("already started");
        SslContext tlsContext = null;
        if (tls != null) {
            try {
                tlsContext = OriginTls.context(tls); // before anything is bound: a bad certificate fails the start cleanly
            } catch (IOException e) {
                throw new IllegalStateException("HTTPS: " + e.getMessage(), e);
            }
        }
        transport = ServerTransport.best();
        boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        workers = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), transport.ioHandlerFactory());
        blockingWork = new BoundedExecutor("origin-blocking", config.blockingThreads(), config.blockingQueue());
        handler = new OriginHttpHandler(new OriginResources(store, config), routes, blockingWork);
        try {
            serverChannel = bind(config.port(), new OriginChannelInitializer(handler, config, metrics));
            if (tlsContext != null) tlsChannel = bind(tls.port(), new OriginChannelInitializer(handler, config, metrics, tlsContext));
        } catch (RuntimeException | InterruptedException e) {
            if (serverChannel != null) serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
            shutdownGroups();
            throw e;
        }
        int port = port();
        if (tlsChannel == null) LOG.info("HLS origin listening on {}:{} ({})", config.host(), port, transport.name());
        else LOG.info("HLS origin listening on {}:{} (HTTP) and {} (HTTPS, HTTP/2) ({})", config.host(), port, httpsPort(), transport.name());
        return port;
    }

    private Channel bind(int port, OriginChannelInitializer pipeline) throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(pipeline)
                .bind(config.host(), port).sync().channel();
    }

    /** The bound HTTPS port; -1 without TLS. */
    public synchronized int httpsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** DASH segments answered while they were being written, since start. */
    public long growingSegmentAnswers() {
        OriginHttpHandler h = handler;
        return h == null ? 0 : h.growingSegmentAnswers();
    }

    /** LL-HLS requests held waiting for a part right now. */
    public int heldRequests() {
        OriginHttpHandler h = handler;
        return h == null ? 0 : h.heldRequests();
    }

    public synchronized int port() {
        if (serverChannel == null) throw new IllegalStateException("not started");
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (serverChannel == null) return;
        serverChannel.close().awaitUninterruptibly();
        serverChannel = null;
        if (tlsChannel != null) tlsChannel.close().awaitUninterruptibly();
        tlsChannel = null;
        shutdownGroups();
        LOG.info("HLS origin stopped");
    }

    private void shutdownGroups() {
        // A short quiet period: the origin holds no state that needs draining, and tests restart servers often.
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (handler != null) handler.close();
        if (blockingWork != null) blockingWork.close();
        blockingWork = null;
        boss = null;
        workers = null;
    }
}
