package io.livestream.edge.server;

import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.metrics.MetricsHttpServer;
import io.livestream.edge.session.PublishGate;
import io.livestream.netguard.ServerTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RTMP edge: listens for publishers, hands their media to the sink, serves /metrics. */
public final class RtmpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    private final RtmpEdgeConfig config;
    private final PublishGate gate;
    private final IngestSink sink;
    private final EdgeMetrics metrics;
    /** A publisher that keeps its connection but sends no media for this long is dropped (its session ends: timeout). */
    public static final long DEFAULT_MEDIA_TIMEOUT_MS = 10_000;
    private static final int GATE_THREADS = 4;

    /**
     * Socket reads into buffers of at most 16 KiB (Netty's default grows its guess to 64 KiB). With a heap of 512 MiB or
     * less (ours is 256 MiB) Netty's adaptive allocator runs in its low-memory mode, where a buffer above its largest
     * size class (16,896 bytes) is not pooled: each such read allocated, zeroed and later freed fresh direct memory,
     * ~6 % of the edge's CPU at 50 publishers. A publisher at 2.5 Mbit/s rarely has more than 16 KiB waiting, and a
     * wakeup still reads up to 16 buffers.
     */
    static final AdaptiveRecvByteBufAllocator READ_BUFFERS = new AdaptiveRecvByteBufAllocator(64, 2048, 16 * 1024);

    private final long mediaTimeoutMs;
    private final ActivePublishers publishers = new ActivePublishers(System::currentTimeMillis);
    private final ChannelGroup channels = new DefaultChannelGroup("rtmp-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    /**
     * The gate's registry calls (Redis), off the event loops: a hung Redis holds each for its socket timeout, and on an
     * event loop that froze every publisher sharing it. Four threads: begins and ends are rare next to media.
     */
    private ExecutorService gatePool;
    private Channel serverChannel;
    private MetricsHttpServer metricsServer;

    public RtmpServer(RtmpEdgeConfig config, PublishGate gate, IngestSink sink, EdgeMetrics metrics) {
        this(config, gate, sink, metrics, DEFAULT_MEDIA_TIMEOUT_MS);
    }

    public RtmpServer(RtmpEdgeConfig config, PublishGate gate, IngestSink sink, EdgeMetrics metrics, long mediaTimeoutMs) {
        this.mediaTimeoutMs = mediaTimeoutMs;
        this.config = config;
        this.gate = gate;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** Binds (port 0 picks a free port) and returns the RTMP port. */
    public int start() throws InterruptedException, IOException {
        long started = System.nanoTime();
        ServerTransport transport = ServerTransport.best();
        bossGroup = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(transport.ioHandlerFactory());
        gatePool = Executors.newFixedThreadPool(GATE_THREADS, new DefaultThreadFactory("rtmp-publish-gate", true));
        try {
            serverChannel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_BUFFERS)
                    .childHandler(new RtmpChannelInitializer(config, gate, gatePool, sink, metrics, channels, publishers))
                    .bind(config.host(), config.port()).sync().channel();
            long period = Math.max(100, Math.min(1_000, mediaTimeoutMs / 4));
            bossGroup.scheduleWithFixedDelay(this::dropSilentPublishers, period, period, TimeUnit.MILLISECONDS);
            if (config.metricsPort() >= 0) metricsServer = new MetricsHttpServer(config.host(), config.metricsPort(), metrics);
        } catch (InterruptedException | IOException | RuntimeException e) {
            shutdown();
            throw e;
        }
        log.info("rtmp edge listening on {}:{} ({}, metrics {}) in {} ms", config.host(), port(), transport.name(),
                metricsServer == null ? "off" : metricsServer.port(), (System.nanoTime() - started) / 1_000_000);
        return port();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Drops the publisher of {@code streamId} on this edge, if any (the API ended its session); its publish ends with
     * reason {@code api}. Returns whether a publisher was connected here.
     */
    public boolean disconnect(String streamId) {
        return disconnect(streamId, null);
    }

    /** As {@link #disconnect(String)}, only if the publisher is publishing session {@code sessionId} (null: any). */
    public boolean disconnect(String streamId, String sessionId) {
        boolean dropped = publishers.disconnect(streamId, sessionId, "api");
        if (dropped) log.info("dropping the publisher of stream {}: session ended by the API", streamId);
        return dropped;
    }

    /** Publishing connections on this edge. */
    public int publishers() {
        return publishers.size();
    }

    private void dropSilentPublishers() {
        for (String id : publishers.closeSilent(mediaTimeoutMs)) log.info("dropping the publisher of stream {}: no media for {} ms", id, mediaTimeoutMs);
    }

    /** The bound /metrics port, or -1 when metrics are off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** Stops accepting, closes every connection (ending their publishes) and the event loops. The sink is the caller's. */
    @Override
    public void close() {
        if (serverChannel == null) return;
        shutdown();
        log.info("rtmp edge stopped");
    }

    private void shutdown() {
        if (serverChannel != null) serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (metricsServer != null) metricsServer.close();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        // the closed connections' publishes end in the registry on this pool: let those calls finish
        gatePool.shutdown();
        try {
            if (!gatePool.awaitTermination(5, TimeUnit.SECONDS)) log.warn("publish-gate calls still running after 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        serverChannel = null;
        metricsServer = null;
    }
}
