package io.livestream.chat.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.auth.ChatIdentity;
import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.audience.ViewerIds;
import io.livestream.common.audience.ViewerCountView;
import io.livestream.common.concurrent.BoundedExecutor;
import io.livestream.common.http.ClientHeaders;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.json.Json;
import io.livestream.common.metrics.PrometheusText;
import io.livestream.netguard.RateLimitedLog;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP side, routing only: the WebSocket upgrade on {@code /chat/{streamId}} ({@link ChatSocketUpgrade})
 * and the small API ({@code POST /api/chat/token}: {@link ChatTokenIssuer}, {@code GET|POST /api/streams/{id}/chat}:
 * history and {@link ChatPosts}, {@code GET /api/streams/{id}/viewers}, {@code POST /api/streams/{id}/heartbeat},
 * {@code GET /health}). Anything that may block runs on the blocking executor; a full one answers 503.
 */
public final class ChatHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final Pattern CHAT_SOCKET = Pattern.compile("^/chat/([A-Za-z0-9_-]{1,64})/?$");
    static final Pattern STREAM_API = Pattern.compile("^/api/streams/([A-Za-z0-9_-]{1,64})/(chat|viewers|heartbeat)/?$");
    static final int DEFAULT_HISTORY = 50;

    private final ChatServices services;
    private final ChatSocketUpgrade upgrade;
    private final ChatTokenIssuer tokens;
    private final ChatPosts posts;

    public ChatHttpHandler(ChatServices services) {
        this(services, RateLimitedLog.info(LoggerFactory.getLogger(ChatServer.class)));
    }

    /** @param limitsLog where the sockets' flood cuts and ping timeouts are logged (one line per kind every 10 s) */
    public ChatHttpHandler(ChatServices services, RateLimitedLog limitsLog) {
        this.services = services;
        this.upgrade = new ChatSocketUpgrade(services, limitsLog);
        this.tokens = new ChatTokenIssuer(services);
        this.posts = new ChatPosts(services);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, Map.of("error", "malformed request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        HttpMethod method = req.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            preflight(ctx, req);
            return;
        }
        Matcher socket = CHAT_SOCKET.matcher(path);
        if (socket.matches() && method.equals(HttpMethod.GET)) {
            String token = param(uri, "token");
            Optional<ChatIdentity> identity = identity(req, token);
            if ((token != null || req.headers().contains(HttpHeaderNames.AUTHORIZATION)) && identity.isEmpty()) {
                respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, Map.of("error", "invalid or expired chat token"));
                return;
            }
            upgrade.upgrade(ctx, req, socket.group(1), uri.path(), identity);
            return;
        }
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            writeMetrics(ctx, req);
            return;
        }
        if (path.equals("/health") && method.equals(HttpMethod.GET)) {
            respond(ctx, req, HttpResponseStatus.OK, Map.of("status", "ok", "gateway", services.config().gatewayId(),
                    "connections", services.rooms().size()));
            return;
        }
        if (path.equals("/api/chat/token") && method.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            if (body == null) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, Map.of("error", "body is not valid JSON"));
                return;
            }
            async(ctx, req, () -> tokens.issue(body));
            return;
        }
        Matcher api = STREAM_API.matcher(path);
        if (!api.matches()) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, Map.of("error", "not found"));
            return;
        }
        String streamId = api.group(1);
        String what = api.group(2);
        if (what.equals("chat") && method.equals(HttpMethod.GET)) {
            int limit = clamp(param(uri, "limit"), DEFAULT_HISTORY, 1, ChatKeys.HISTORY_LIMIT);
            async(ctx, req, () -> ChatReply.ok(Map.of("streamId", streamId, "messages", services.store().recent(streamId, limit))));
        } else if (what.equals("chat") && method.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            if (body == null) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, Map.of("error", "body is not valid JSON"));
                return;
            }
            Optional<ChatIdentity> identity = identity(req, null);
            async(ctx, req, () -> posts.post(streamId, identity, body));
        } else if (what.equals("viewers") && method.equals(HttpMethod.GET)) {
            async(ctx, req, () -> ChatReply.ok(viewers(streamId)));
        } else if (what.equals("heartbeat") && method.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            if (body == null) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, Map.of("error", "body is not valid JSON"));
                return;
            }
            String ip = remoteIp(ctx, req);
            String ua = req.headers().get(HttpHeaderNames.USER_AGENT);
            String viewerId = ViewerIds.of(text(body, "vsid"), ip, ua);
            ViewerHeartbeat beat = ViewerHeartbeat.of(streamId, viewerId, text(body, "rendition"), services.clock().millis(), "player");
            // a Kafka send may wait for metadata: off the event loop
            async(ctx, req, () -> {
                services.publisher().heartbeat(beat);
                return new ChatReply(HttpResponseStatus.ACCEPTED, Map.of("viewerId", viewerId));
            });
        } else {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", "method not allowed"));
        }
    }

    private Map<String, Object> viewers(String streamId) {
        return ViewerCountView.of(streamId, services.store().viewers(streamId));
    }

    private Optional<ChatIdentity> identity(FullHttpRequest req, String queryToken) {
        String token = queryToken != null ? queryToken
                : ClientHeaders.bearerToken(req.headers().get(HttpHeaderNames.AUTHORIZATION)).orElse(null);
        return token == null ? Optional.empty() : services.tokens().verify(token);
    }

    /** Runs {@code work} on the blocking executor; a full executor answers 503 + Retry-After at once. */
    private void async(ChannelHandlerContext ctx, FullHttpRequest req, java.util.function.Supplier<ChatReply> work) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            services.blocking().execute(() -> {
                ChatReply reply;
                try {
                    reply = work.get();
                } catch (RuntimeException e) {
                    reply = new ChatReply(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", "backend unavailable"));
                }
                write(ctx, keepAlive, reply);
            });
        } catch (RejectedExecutionException e) {
            write(ctx, keepAlive, new ChatReply(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", "overloaded: try again shortly"),
                    BoundedExecutor.RETRY_AFTER_SECONDS));
        }
    }

    /** {@code GET /metrics}: the gateway's Prometheus text (memory only: on the event loop). */
    private void writeMetrics(ChannelHandlerContext ctx, FullHttpRequest req) {
        byte[] text = services.rooms().metrics().scrape();
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(text));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (HttpUtil.isKeepAlive(req)) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, Object body) {
        write(ctx, HttpUtil.isKeepAlive(req), new ChatReply(status, body));
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, ChatReply reply) {
        byte[] bytes = Json.toBytes(reply.body());
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        // the watch page (another origin) reads Retry-After of a slow-mode 429
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, HttpHeaderNames.RETRY_AFTER);
        if (reply.retryAfter() != null) res.headers().set(HttpHeaderNames.RETRY_AFTER, reply.retryAfter());
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** CORS preflight for any path: the watch page on the origin (:8080) calls this API (:8090) with a bearer token. */
    private static void preflight(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86400);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (HttpUtil.isKeepAlive(req)) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The body as a JSON object ({} when empty), or null when it is not JSON: the caller answers 400. */
    private static JsonNode body(FullHttpRequest req) {
        if (req.content().readableBytes() == 0) return Json.MAPPER.createObjectNode();
        try {
            JsonNode node = Json.MAPPER.readTree(ByteBufUtil.getBytes(req.content()));
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    private static String param(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int clamp(String value, int fallback, int min, int max) {
        try {
            return value == null ? fallback : Math.max(min, Math.min(max, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String remoteIp(ChannelHandlerContext ctx, FullHttpRequest req) {
        String peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
        return ClientHeaders.clientIp(req.headers().get("X-Forwarded-For"), peer);
    }
}
