package io.livestream.origin.chat;

import io.livestream.common.concurrent.BoundedExecutor;
import io.livestream.common.http.ClientHeaders;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import io.livestream.origin.http.RouteTable;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the chat gateway's HTTP routes (history and posts, chat tokens, player heartbeats) to a gateway, so that
 * they answer on the API host too (in the cluster the balancer routes them by path before they get here). A bounded
 * pool of keep-alive connections; requests beyond it and its wait queue get 503 + Retry-After, never a growing queue.
 */
public final class ChatForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatForwarder.class);
    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("chat-forward-exchange");
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;
    public static final int DEFAULT_CONNECTIONS = 32;
    public static final int DEFAULT_WAITING = 256;
    /** Above the gateway's 3 s wait for the chat job's verdict. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String gatewayHost;
    private final int gatewayPort;
    private final Duration timeout;
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final FixedChannelPool pool;

    public ChatForwarder(String gatewayHost, int gatewayPort) {
        this(gatewayHost, gatewayPort, DEFAULT_CONNECTIONS, DEFAULT_WAITING, DEFAULT_TIMEOUT);
    }

    public ChatForwarder(String gatewayHost, int gatewayPort, int maxConnections, int maxWaiting, Duration timeout) {
        this.gatewayHost = gatewayHost;
        this.gatewayPort = gatewayPort;
        this.timeout = timeout;
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class).remoteAddress(gatewayHost, gatewayPort)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000).option(ChannelOption.TCP_NODELAY, true);
        this.pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER_BYTES), new AnswerHandler());
            }
        }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, timeout.toMillis(), maxConnections, maxWaiting);
        LOG.info("chat routes forwarded to the gateway at {}:{} (up to {} connections)", gatewayHost, gatewayPort, maxConnections);
    }

    public RouteTable routes() {
        return RouteTable.builder()
                .async(Route.Chat.class, (r, request) -> forward(request))
                .async(Route.ChatToken.class, (r, request) -> forward(request))
                .async(Route.Heartbeat.class, (r, request) -> forward(request))
                .build();
    }

    /** The gateway's answer to the same request; 503 if it cannot be reached or is saturated, 504 past the timeout. */
    public CompletionStage<Resource> forward(OriginRequest request) {
        CompletableFuture<Resource> answer = new CompletableFuture<>();
        pool.acquire().addListener(acquired -> {
            if (!acquired.isSuccess()) {
                answer.complete(Resource.unavailable("chat gateway unavailable", BoundedExecutor.RETRY_AFTER_SECONDS));
                return;
            }
            Channel ch = (Channel) acquired.getNow();
            Exchange exchange = new Exchange(answer, ch);
            ch.attr(EXCHANGE).set(exchange);
            ch.eventLoop().schedule(() -> {
                if (exchange.finish(Resource.error(504, "chat gateway did not answer in time"))) ch.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            ch.writeAndFlush(toGateway(request)).addListener(written -> {
                if (!written.isSuccess()) {
                    exchange.finish(Resource.unavailable("chat gateway unavailable", BoundedExecutor.RETRY_AFTER_SECONDS));
                    ch.close();
                }
            });
        });
        return answer;
    }

    private FullHttpRequest toGateway(OriginRequest request) {
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), request.uri(),
                Unpooled.wrappedBuffer(request.body()));
        out.headers().set(HttpHeaderNames.HOST, gatewayHost + ":" + gatewayPort);
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        out.headers().set("X-Forwarded-For", ClientHeaders.appendForwardedFor(request.header("X-Forwarded-For"), request.peerAddress()));
        for (CharSequence name : new CharSequence[] {HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.USER_AGENT}) {
            String value = request.header(name);
            if (value != null) out.headers().set(name, value);
        }
        return out;
    }

    @Override
    public void close() {
        pool.close();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** One request and its answer on a pooled connection; finished once, and the connection goes back to the pool then. */
    private final class Exchange {
        final CompletableFuture<Resource> answer;
        final Channel channel;
        final AtomicBoolean done = new AtomicBoolean();

        Exchange(CompletableFuture<Resource> answer, Channel channel) {
            this.answer = answer;
            this.channel = channel;
        }

        boolean finish(Resource resource) {
            if (!done.compareAndSet(false, true)) return false;
            channel.attr(EXCHANGE).set(null);
            pool.release(channel);
            answer.complete(resource);
            return true;
        }
    }

    private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange == null) return; // an answer after its timeout
            if (!HttpUtil.isKeepAlive(response)) ctx.channel().close();
            String retryAfter = response.headers().get(HttpHeaderNames.RETRY_AFTER);
            exchange.finish(new Resource(response.status().code(), ByteBufUtil.getBytes(response.content()),
                    response.headers().get(HttpHeaderNames.CONTENT_TYPE, Resource.JSON_TYPE),
                    response.headers().get(HttpHeaderNames.CACHE_CONTROL, Resource.NO_STORE), null, false,
                    retryAfter == null ? null : parseSeconds(retryAfter)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange != null) exchange.finish(Resource.unavailable("chat gateway closed the connection", BoundedExecutor.RETRY_AFTER_SECONDS));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("chat gateway connection failed: {}", cause.toString());
            ctx.close();
        }

        private static Integer parseSeconds(String value) {
            try {
                return Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
