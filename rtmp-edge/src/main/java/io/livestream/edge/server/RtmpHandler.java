package io.livestream.edge.server;

import io.livestream.edge.handshake.Handshake;
import io.livestream.edge.ingest.IngestPipeline;
import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.GateCalls;
import io.livestream.edge.session.PublishDecision;
import io.livestream.edge.session.PublishGate;
import io.livestream.edge.session.PublishListener;
import io.livestream.edge.session.RtmpSession;
import io.livestream.edge.session.SessionOutput;
import io.livestream.netguard.DeadlineHandler;
import io.livestream.netguard.RateLimitedLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thin glue for one connection: handshake answer, acknowledgements, and the session with its ingest pipeline. */
final class RtmpHandler extends SimpleChannelInboundHandler<Object> implements SessionOutput, PublishListener {
    private static final Logger log = LoggerFactory.getLogger(RtmpHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RtmpEdgeConfig config;
    private final PublishGate gate;
    private final IngestSink sink;
    private final EdgeMetrics metrics;
    private final ActivePublishers publishers;
    /** For timeouts, which come in floods. */
    private final RateLimitedLog limitsLog;
    /** Where the gate's blocking calls run; null: in place (an in-memory gate on an embedded channel). */
    private final Executor gatePool;
    private ChannelHandlerContext ctx;
    private RtmpSession session;
    private IngestPipeline pipeline;
    private String publishingStreamId;
    private String remote;
    private boolean failed;

    RtmpHandler(RtmpEdgeConfig config, PublishGate gate, IngestSink sink, EdgeMetrics metrics) {
        this(config, gate, null, sink, metrics, new ActivePublishers(System::currentTimeMillis), RateLimitedLog.info(log));
    }

    RtmpHandler(RtmpEdgeConfig config, PublishGate gate, Executor gatePool, IngestSink sink, EdgeMetrics metrics,
                ActivePublishers publishers, RateLimitedLog limitsLog) {
        this.gatePool = gatePool;
        this.limitsLog = limitsLog;
        this.publishers = publishers;
        this.config = config;
        this.gate = gate;
        this.sink = sink;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.remote = String.valueOf(ctx.channel().remoteAddress());
        GateCalls gateCalls = gatePool == null ? GateCalls.IN_PLACE : new OffLoopGateCalls(gatePool, ctx.executor());
        this.session = new RtmpSession(gate, remote, config.outboundChunkSize(), this, this, gateCalls);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HandshakeRequest request) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Handshake.respond(request.c0c1(), RANDOM).s0s1s2()));
        } else if (msg instanceof AcknowledgementDue due) {
            ctx.writeAndFlush(new RtmpMessage.Acknowledgement(due.bytesReceived()));
        } else if (msg instanceof RtmpMessage message) {
            session.onMessage(message);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String reason = ctx.channel().attr(ActivePublishers.CLOSE_REASON).get();
        session.onDisconnect(reason != null ? reason : "disconnected");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) return;
        failed = true;
        if (cause instanceof ReadTimeoutException) {
            limitsLog.event("silent", "closing %s: silent for %d s", remote, config.readTimeoutSeconds());
        } else {
            metrics.protocolError();
            Throwable root = cause.getCause() != null ? cause.getCause() : cause;
            log.info("closing {}: {}", remote, root.getMessage() != null ? root.getMessage() : root.toString());
        }
        ctx.close();
    }

    // SessionOutput

    @Override
    public void send(RtmpMessage message) {
        ctx.writeAndFlush(message);
    }

    @Override
    public void close() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // PublishListener

    @Override
    public void publishStarted(PublishDecision.Accepted accepted) {
        metrics.publishStarted();
        DeadlineHandler.met(ctx.pipeline(), RtmpChannelInitializer.PUBLISH_DEADLINE);
        pipeline = new IngestPipeline(accepted.streamId(), accepted.sessionId(), config.maxInflightBytesPerPublisher(), sink, metrics);
        publishingStreamId = accepted.streamId();
        publishers.started(accepted.streamId(), accepted.sessionId(), ctx.channel());
    }

    @Override
    public void media(RtmpMessage message) {
        pipeline.accept(message);
        publishers.media(publishingStreamId);
    }

    @Override
    public void publishEnded(PublishDecision.Accepted accepted, String reason) {
        metrics.publishEnded();
        publishers.ended(accepted.streamId(), ctx.channel());
        // a dropped connection may come back within the grace; anything else (unpublish, API end, media timeout) is final
        if (!"disconnected".equals(reason)) pipeline.finishCleanly();
        if (pipeline.dropped() > 0) log.warn("stream {}: {} records dropped while the sink was slow", accepted.streamId(), pipeline.dropped());
        pipeline = null;
    }

    @Override
    public void publishRefused(String reason) {
        metrics.publishRefused();
    }
}
