package io.livestream.edge.server;

import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.PublishGate;
import io.livestream.netguard.ConnectionGate;
import io.livestream.netguard.ConnectionLimits;
import io.livestream.netguard.DeadlineHandler;
import io.livestream.netguard.RateLimitedLog;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.Executor;
import org.slf4j.LoggerFactory;

/** Admits the connection if the limits allow, then builds its pipeline; nothing else. */
final class RtmpChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String HANDSHAKE_DEADLINE = "handshake-deadline";
    static final String PUBLISH_DEADLINE = "publish-deadline";
    /** Refusals and timeouts come in floods: one line per kind every 10 s, per server. */
    private final RateLimitedLog limitsLog = RateLimitedLog.info(LoggerFactory.getLogger(RtmpServer.class));

    private final RtmpEdgeConfig config;
    private final PublishGate gate;
    private final Executor gatePool;
    private final IngestSink sink;
    private final EdgeMetrics metrics;
    private final ConnectionGate gateKeeper;
    private final ChannelGroup channels;
    private final InboundByteCounter byteCounter;
    private final ActivePublishers publishers;

    RtmpChannelInitializer(RtmpEdgeConfig config, PublishGate gate, Executor gatePool, IngestSink sink, EdgeMetrics metrics,
                           ChannelGroup channels, ActivePublishers publishers) {
        this.gatePool = gatePool;
        this.publishers = publishers;
        this.config = config;
        this.gate = gate;
        this.sink = sink;
        this.metrics = metrics;
        this.channels = channels;
        this.gateKeeper = new ConnectionGate("rtmp edge", new ConnectionLimits(config.maxConnectionsPerIp(), config.maxConnections()), limitsLog);
        this.byteCounter = new InboundByteCounter(metrics);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!gateKeeper.admit(ch)) {
            metrics.connectionRejected();
            return;
        }
        metrics.connectionOpened();
        ch.closeFuture().addListener(f -> metrics.connectionClosed());
        channels.add(ch);
        ch.pipeline().addLast(HANDSHAKE_DEADLINE, new DeadlineHandler("the handshake", config.handshakeTimeoutSeconds() * 1000L, limitsLog));
        ch.pipeline().addLast(PUBLISH_DEADLINE, new DeadlineHandler("a publish", config.publishTimeoutSeconds() * 1000L, limitsLog));
        ch.pipeline().addLast(
                new ReadTimeoutHandler(config.readTimeoutSeconds()),
                byteCounter,
                new RtmpDecoder(config),
                new RtmpEncoder(),
                new RtmpHandler(config, gate, gatePool, sink, metrics, publishers, limitsLog));
    }
}
