package io.livestream.origin.http;

import io.livestream.netguard.ConnectionGate;
import io.livestream.netguard.HttpRequestDeadline;
import io.livestream.netguard.OversizedRequestResponder;
import io.livestream.netguard.RateLimitedLog;
import io.livestream.origin.metrics.HttpMetricsHandler;
import io.livestream.origin.metrics.OriginMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.LoggerFactory;

/**
 * Builds the origin's pipeline, nothing else: plain HTTP/1.1, or with a TLS context HTTPS, where ALPN picks HTTP/2
 * (each stream a child channel whose requests, converted to HTTP/1.1 objects, reach the same handler) or HTTP/1.1.
 */
public final class OriginChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The largest request body (API JSON); anything larger gets a JSON 413 from {@link JsonLimitAggregator}. */
    public static final int MAX_REQUEST_BODY = 64 * 1024;

    /** The longest request line (414 past it) and the most header bytes (431 past them). */
    public static final int MAX_REQUEST_LINE = 4096;
    public static final int MAX_HEADER_BYTES = 8192;

    /** HTTP/2 streams open at once on one connection: LL-HLS players hold a playlist and a part or two each. */
    public static final int MAX_STREAMS_PER_CONNECTION = 100;

    private final OriginHttpHandler handler;
    private final OriginConfig config;
    private final ConnectionGate gate;
    private final OriginMetrics metrics;
    private final SslContext tls;
    /** Refusals and timeouts come in floods: one line per kind every 10 s. */
    private final RateLimitedLog limitsLog = RateLimitedLog.info(LoggerFactory.getLogger(OriginServer.class));

    public OriginChannelInitializer(OriginHttpHandler handler, OriginConfig config) {
        this(handler, config, null);
    }

    /** @param metrics null counts nothing */
    public OriginChannelInitializer(OriginHttpHandler handler, OriginConfig config, OriginMetrics metrics) {
        this(handler, config, metrics, null);
    }

    /** @param tls the HTTPS context (ALPN h2 and http/1.1); null serves plain HTTP/1.1 */
    public OriginChannelInitializer(OriginHttpHandler handler, OriginConfig config, OriginMetrics metrics, SslContext tls) {
        this.handler = handler;
        this.config = config;
        this.gate = new ConnectionGate(tls == null ? "HLS origin" : "HLS origin (HTTPS)", config.connections(), limitsLog);
        this.metrics = metrics;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!gate.admit(ch)) return;
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeoutSec()));
        if (tls == null) {
            addHttp1(p);
            return;
        }
        SslHandler handshake = tls.newHandler(ch.alloc());
        // a client that never finishes its handshake is closed as one that never finishes its request
        handshake.setHandshakeTimeoutMillis(config.requestTimeoutSec() * 1000L);
        p.addLast("tls", handshake);
        p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                ChannelPipeline pipeline = ctx.pipeline();
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    addHttp2(pipeline);
                } else {
                    addHttp1(pipeline);
                }
            }
        });
    }

    private void addHttp1(ChannelPipeline p) {
        p.addLast("codec", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 8192));
        p.addLast("oversized", new OversizedRequestResponder(limitsLog));
        HttpRequestDeadline.install(p, "codec", config.requestTimeoutSec() * 1000L, limitsLog);
        addRequestHandlers(p);
    }

    private void addHttp2(ChannelPipeline p) {
        // idle connections: the parent's idle handler fires; nobody on the parent reads HTTP, so close here
        p.addLast("close-idle", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof IdleStateEvent) ctx.close();
                else ctx.fireUserEventTriggered(event);
            }
        });
        p.addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(MAX_HEADER_BYTES).maxConcurrentStreams(MAX_STREAMS_PER_CONNECTION))
                .build());
        p.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true));
                addRequestHandlers(stream.pipeline());
            }
        }));
    }

    private void addRequestHandlers(ChannelPipeline p) {
        p.addLast("aggregator", new JsonLimitAggregator(MAX_REQUEST_BODY));
        if (metrics != null) p.addLast("metrics", HttpMetricsHandler.create(metrics));
        p.addLast("origin", handler);
    }
}
