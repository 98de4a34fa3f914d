package io.livestream.chat.server;

import io.livestream.netguard.CloseWhenIdle;
import io.livestream.netguard.ConnectionGate;
import io.livestream.netguard.HttpRequestDeadline;
import io.livestream.netguard.OversizedRequestResponder;
import io.livestream.netguard.RateLimitedLog;
import io.livestream.chat.metrics.ChatHttpMetricsHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.LoggerFactory;

/** HTTP first; {@link ChatHttpHandler} swaps itself for the WebSocket handlers on an upgrade to /chat/{id}. */
public final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final int MAX_HTTP_BODY = 16 * 1024;
    static final int FLUSHES_PER_SYSCALL = 64;
    /** Before an upgrade: the idle timeout of the HTTP phase (a WebSocket has its pings instead). */
    static final String HTTP_IDLE = "http-idle";
    /** HTTP answers only: a chat socket's room frames are one flush per loop turn already (see ChatSocketUpgrade). */
    static final String FLUSH_CONSOLIDATION = "flush-consolidation";

    private final ChatServices services;
    /** Refusals, timeouts and floods: one line per kind every 10 s. */
    private final RateLimitedLog limitsLog = RateLimitedLog.info(LoggerFactory.getLogger(ChatServer.class));
    private final ConnectionGate gate;

    public ChatChannelInitializer(ChatServices services) {
        this.services = services;
        this.gate = new ConnectionGate("chat gateway", services.config().connections(), limitsLog);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!gate.admit(ch)) return;
        ChannelPipeline p = ch.pipeline();
        // pipelined HTTP requests: the answers of one read become one syscall
        p.addLast(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(FLUSHES_PER_SYSCALL, true));
        p.addLast(HTTP_IDLE, new CloseWhenIdle(services.config().idleTimeoutSec()));
        p.addLast("http", new HttpServerCodec());
        p.addLast("oversized", new OversizedRequestResponder(limitsLog));
        HttpRequestDeadline.install(p, "http", services.config().requestTimeoutSec() * 1000L, limitsLog);
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_BODY));
        p.addLast("metrics", ChatHttpMetricsHandler.create(services.rooms().metrics()));
        p.addLast("chat-http", new ChatHttpHandler(services, limitsLog));
    }
}
