package io.livestream.chat.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.auth.ChatIdentity;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.chat.room.ChatConnection;
import io.livestream.chat.room.ChatFrames;
import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.audience.ViewerIds;
import io.livestream.common.audience.ViewerKeys;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.json.Json;
import io.livestream.chat.limits.InboundText;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
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
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's HTTP side: the WebSocket upgrade on {@code /chat/{streamId}} and the small API
 * ({@code POST /api/chat/token}, {@code GET|POST /api/streams/{id}/chat}, {@code GET /api/streams/{id}/viewers},
 * {@code POST /api/streams/{id}/heartbeat}, {@code GET /health}). Anything that may block runs on the blocking executor.
 */
public final class ChatHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final Pattern CHAT_SOCKET = Pattern.compile("^/chat/([A-Za-z0-9_-]{1,64})/?$");
    static final Pattern STREAM_API = Pattern.compile("^/api/streams/([A-Za-z0-9_-]{1,64})/(chat|viewers|heartbeat)/?$");
    /** WebSocket frames up to this size are read so that they can be refused with an error frame; larger ones close. */
    static final int MAX_WS_FRAME = 64 * 1024;
    static final int DEFAULT_HISTORY = 50;

    private final ChatServices services;

    public ChatHttpHandler(ChatServices services) {
        this.services = services;
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
            upgrade(ctx, req, socket.group(1), uri);
            return;
        }
        if (path.equals("/health") && method.equals(HttpMethod.GET)) {
            respond(ctx, req, HttpResponseStatus.OK, Map.of("status", "ok", "gateway", services.config().gatewayId(),
                    "connections", services.rooms().size()));
            return;
        }
        if (path.equals("/api/chat/token") && method.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            async(ctx, req, () -> token(body));
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
            async(ctx, req, () -> ok(Map.of("streamId", streamId, "messages", services.store().recent(streamId, limit))));
        } else if (what.equals("chat") && method.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            Optional<ChatIdentity> identity = identity(req, null);
            async(ctx, req, () -> postMessage(streamId, identity, body));
        } else if (what.equals("viewers") && method.equals(HttpMethod.GET)) {
            async(ctx, req, () -> ok(viewers(streamId)));
        } else if (what.equals("heartbeat") && method.equals(HttpMethod.POST)) {
            JsonNode body = body(req);
            String ip = remoteIp(ctx, req);
            String ua = req.headers().get(HttpHeaderNames.USER_AGENT);
            String viewerId = ViewerIds.of(text(body, "vsid"), ip, ua);
            services.publisher().heartbeat(ViewerHeartbeat.of(streamId, viewerId, text(body, "rendition"),
                    services.clock().millis(), "player"));
            respond(ctx, req, HttpResponseStatus.ACCEPTED, Map.of("viewerId", viewerId));
        } else {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", "method not allowed"));
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String streamId, QueryStringDecoder uri) {
        String token = param(uri, "token");
        Optional<ChatIdentity> identity = identity(req, token);
        if ((token != null || req.headers().contains(HttpHeaderNames.AUTHORIZATION)) && identity.isEmpty()) {
            respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, Map.of("error", "invalid or expired chat token"));
            return;
        }
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_WS_FRAME)
                .allowExtensions(false)
                .withUTF8Validator(false) // invalid UTF-8 gets an error frame from us instead of a close
                .build();
        String location = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, decoder).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChatConnection connection = new ChatConnection(UUID.randomUUID().toString().substring(0, 13), streamId,
                identity.orElse(null), ctx.channel(), services.config().outboundQueueFrames());
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_WS_FRAME));
        p.addAfter("ws-aggregator", "chat-ws", new ChatWebSocketHandler(services, connection));
        p.remove(this);
        handshaker.handshake(ctx.channel(), req).addListener(done -> {
            if (!done.isSuccess()) {
                ctx.channel().close();
                return;
            }
            services.rooms().join(connection);
            connection.deliver(ChatFrames.welcome(streamId, identity.map(ChatIdentity::user).orElse(null), connection.role().wire()));
            services.blocking().execute(() -> {
                try {
                    connection.completeJoin(services.store().recent(streamId, services.config().historyOnJoin()));
                } catch (RuntimeException e) {
                    connection.completeJoin(List.of()); // no history is better than no chat
                }
            });
        });
    }

    private Reply token(JsonNode body) {
        String user = text(body, "username");
        if (user == null || !ChatTokens.USER_NAME.matcher(user).matches()) {
            return new Reply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "username: 1-25 letters, digits or _"));
        }
        String streamId = text(body, "streamId");
        String streamKey = text(body, "streamKey");
        String broadcasterToken = text(body, "broadcasterToken");
        ChatRole role = ChatRole.VIEWER;
        if (broadcasterToken != null) {
            // the token from POST /api/streams names no stream by itself: the caller says which one it is for
            if (streamId == null) return new Reply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "broadcasterToken needs streamId"));
            if (!services.roles().isBroadcasterToken(streamId, broadcasterToken)) {
                return new Reply(HttpResponseStatus.FORBIDDEN, Map.of("error", "broadcaster token does not match"));
            }
            role = ChatRole.BROADCASTER;
        } else if (streamKey != null) {
            Optional<String> owned = services.roles().streamOfKey(streamKey);
            if (owned.isEmpty() || (streamId != null && !streamId.equals(owned.get()))) {
                return new Reply(HttpResponseStatus.FORBIDDEN, Map.of("error", "stream key does not match"));
            }
            streamId = owned.get();
            role = ChatRole.BROADCASTER;
        } else if (streamId != null && services.roles().isModerator(streamId, user)) {
            role = ChatRole.MODERATOR;
        }
        long ttl = services.config().tokenTtl().toSeconds();
        String token = services.tokens().issue(user, role, role == ChatRole.VIEWER ? null : streamId, ttl);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", token);
        out.put("username", user);
        out.put("role", role.wire());
        if (role != ChatRole.VIEWER) out.put("streamId", streamId);
        out.put("expiresAt", services.clock().millis() / 1000 + ttl);
        return ok(out);
    }

    /**
     * The reference API's POST: the same path as a socket message, waiting briefly for the job's verdict. A token
     * (Authorization: Bearer) gives the identity; without one, {@code username} in the body speaks as a viewer.
     */
    private Reply postMessage(String streamId, Optional<ChatIdentity> identity, JsonNode body) {
        String user = identity.map(ChatIdentity::user).orElse(text(body, "username"));
        if (user == null || !ChatTokens.USER_NAME.matcher(user).matches()) {
            return new Reply(HttpResponseStatus.UNAUTHORIZED, Map.of("error", "a chat token or a username is needed"));
        }
        ChatRole role = identity.map(i -> i.roleIn(streamId)).orElse(ChatRole.VIEWER);
        String text = Optional.ofNullable(text(body, "text")).orElse(text(body, "message"));
        if (text == null || text.isBlank()) return new Reply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "empty message"));
        if (InboundText.chars(text) > services.config().maxChars()) {
            return new Reply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "too_long"));
        }
        String id = UUID.randomUUID().toString();
        CompletableFuture<ChatEvent> verdict = services.verdicts().register(id);
        services.publisher().submit(ChatSubmitted.of(streamId, id, user, role, text, services.clock().millis(),
                services.config().gatewayId() + "/http"));
        try {
            ChatEvent e = verdict.get(services.config().verdictTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (ChatEvent.MESSAGE.equals(e.type())) return new Reply(HttpResponseStatus.CREATED, e.message());
            return rejection(e.rejected());
        } catch (TimeoutException e) {
            verdict.cancel(false);
            return new Reply(HttpResponseStatus.ACCEPTED, Map.of("id", id, "status", "pending"));
        } catch (Exception e) {
            return new Reply(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "internal error"));
        }
    }

    static Reply rejection(ChatRejected r) {
        HttpResponseStatus status = switch (r.reason()) {
            case ChatRejected.SLOW_MODE, ChatRejected.TIMED_OUT -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case ChatRejected.BANNED, ChatRejected.FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", r.reason());
        out.put("message", r.detail());
        if (r.retryAfterSeconds() != null) out.put("retryAfterSeconds", r.retryAfterSeconds());
        Reply reply = new Reply(status, out);
        return r.retryAfterSeconds() == null ? reply : reply.withRetryAfter(r.retryAfterSeconds());
    }

    private Map<String, Object> viewers(String streamId) {
        Map<String, String> hash = services.store().viewers(streamId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("streamId", streamId);
        out.put("viewers", Long.parseLong(hash.getOrDefault(ViewerKeys.COUNT, "0")));
        out.put("peak", Long.parseLong(hash.getOrDefault(ViewerKeys.PEAK, "0")));
        if (hash.containsKey(ViewerKeys.UPDATED_AT)) out.put("updatedAt", Long.parseLong(hash.get(ViewerKeys.UPDATED_AT)));
        try {
            out.put("byRendition", Json.MAPPER.readTree(hash.getOrDefault(ViewerKeys.BY_RENDITION, "{}")));
        } catch (IOException e) {
            out.put("byRendition", Map.of());
        }
        return out;
    }

    private Optional<ChatIdentity> identity(FullHttpRequest req, String queryToken) {
        String token = queryToken;
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (token == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) token = auth.substring(7).trim();
        return token == null ? Optional.empty() : services.tokens().verify(token);
    }

    record Reply(HttpResponseStatus status, Object body, Integer retryAfter) {
        Reply(HttpResponseStatus status, Object body) {
            this(status, body, null);
        }

        Reply withRetryAfter(int seconds) {
            return new Reply(status, body, seconds);
        }
    }

    private static Reply ok(Object body) {
        return new Reply(HttpResponseStatus.OK, body);
    }

    private void async(ChannelHandlerContext ctx, FullHttpRequest req, java.util.function.Supplier<Reply> work) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpMethod method = req.method();
        services.blocking().execute(() -> {
            Reply reply;
            try {
                reply = work.get();
            } catch (RuntimeException e) {
                reply = new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", "backend unavailable"));
            }
            write(ctx, keepAlive, reply);
        });
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, Object body) {
        write(ctx, HttpUtil.isKeepAlive(req), new Reply(status, body));
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, Reply reply) {
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

    private static JsonNode body(FullHttpRequest req) {
        if (req.content().readableBytes() == 0) return Json.MAPPER.createObjectNode();
        try {
            JsonNode node = Json.MAPPER.readTree(ByteBufUtil.getBytes(req.content()));
            return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static String text(JsonNode body, String field) {
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
        String forwarded = req.headers().get("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) return forwarded.split(",")[0].trim();
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
    }
}
