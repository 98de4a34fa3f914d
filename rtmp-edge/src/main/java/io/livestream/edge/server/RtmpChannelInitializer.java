package io.livestream.edge.server;

import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.PublishGate;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;

/** Admits the connection if the limits allow, then builds its pipeline; nothing else. */
final class RtmpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final RtmpEdgeConfig config;
    private final PublishGate gate;
    private final IngestSink sink;
    private final EdgeMetrics metrics;
    private final ConnectionLimiter limiter;
    private final ChannelGroup channels;
    private final InboundByteCounter byteCounter;
    private final ActivePublishers publishers;

    RtmpChannelInitializer(RtmpEdgeConfig config, PublishGate gate, IngestSink sink, EdgeMetrics metrics, ChannelGroup channels,
                           ActivePublishers publishers) {
        this.publishers = publishers;
        this.config = config;
        this.gate = gate;
        this.sink = sink;
        this.metrics = metrics;
        this.channels = channels;
        this.limiter = new ConnectionLimiter(config.maxConnectionsPerIp(), config.maxConnections());
        this.byteCounter = new InboundByteCounter(metrics);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        String address = ch.remoteAddress().getAddress().getHostAddress();
        if (!limiter.tryAcquire(address)) {
            metrics.connectionRejected();
            ch.close();
            return;
        }
        metrics.connectionOpened();
        ch.closeFuture().addListener(f -> {
            limiter.release(address);
            metrics.connectionClosed();
        });
        channels.add(ch);
        ch.pipeline().addLast(
                new ReadTimeoutHandler(config.readTimeoutSeconds()),
                byteCounter,
                new RtmpDecoder(config),
                new RtmpEncoder(),
                new RtmpHandler(config, gate, sink, metrics, publishers));
    }
}
