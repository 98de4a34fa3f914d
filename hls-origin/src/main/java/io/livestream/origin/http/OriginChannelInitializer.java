package io.livestream.origin.http;

import io.livestream.netguard.ConnectionGate;
import io.livestream.netguard.HttpRequestDeadline;
import io.livestream.netguard.OversizedRequestResponder;
import io.livestream.netguard.RateLimitedLog;
import io.livestream.origin.metrics.HttpMetricsHandler;
import io.livestream.origin.metrics.OriginMetrics;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.LoggerFactory;

/** Builds the origin's pipeline, nothing else. */
public final class OriginChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The largest request body (API JSON); anything larger gets a JSON 413 from {@link JsonLimitAggregator}. */
    public static final int MAX_REQUEST_BODY = 64 * 1024;

    /** The longest request line (414 past it) and the most header bytes (431 past them). */
    public static final int MAX_REQUEST_LINE = 4096;
    public static final int MAX_HEADER_BYTES = 8192;

    private final OriginHttpHandler handler;
    private final OriginConfig config;
    private final ConnectionGate gate;
    private final OriginMetrics metrics;
    /** Refusals and timeouts come in floods: one line per kind every 10 s. */
    private final RateLimitedLog limitsLog = RateLimitedLog.info(LoggerFactory.getLogger(OriginServer.class));

    public OriginChannelInitializer(OriginHttpHandler handler, OriginConfig config) {
        this(handler, config, null);
    }

    /** @param metrics null counts nothing */
    public OriginChannelInitializer(OriginHttpHandler handler, OriginConfig config, OriginMetrics metrics) {
        this.handler = handler;
        this.config = config;
        this.gate = new ConnectionGate("HLS origin", config.connections(), limitsLog);
        this.metrics = metrics;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!gate.admit(ch)) return;
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeoutSec()));
        p.addLast("codec", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 8192));
        p.addLast("oversized", new OversizedRequestResponder(limitsLog));
        HttpRequestDeadline.install(p, "codec", config.requestTimeoutSec() * 1000L, limitsLog);
        p.addLast("aggregator", new JsonLimitAggregator(MAX_REQUEST_BODY));
        if (metrics != null) p.addLast("metrics", HttpMetricsHandler.create(metrics));
        p.addLast("origin", handler);
    }
}
