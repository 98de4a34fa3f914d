package io.livestream.chat.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.limits.InboundText;
import io.livestream.chat.limits.TokenBucket;
import io.livestream.chat.room.ChatConnection;
import io.livestream.chat.room.ChatFrames;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.json.Json;
import io.livestream.netguard.RateLimitedLog;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat socket after the upgrade. Client frames are JSON: {@code {"type":"send","text":"..."}} or
 * {@code {"type":"moderate","action":"ban|unban|timeout|delete|slow|clear","target":..,"messageId":..,"seconds":..}}.
 * Checks in order: the flood bucket (an empty bucket cuts the connection before anything reaches Kafka), frame
 * size, UTF-8, JSON, identity and role, message length; each refusal is an error frame.
 */
public final class ChatWebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    public static final String FLOODING = "flooding: too many frames";

    private final ChatServices services;
    private final ChatConnection connection;
    private final TokenBucket bucket;
    private final RateLimitedLog limitsLog;

    public ChatWebSocketHandler(ChatServices services, ChatConnection connection) {
        this(services, connection, RateLimitedLog.info(LOG));
    }

    /** @param limitsLog where flood cuts are logged: one line per 10 s however many sockets flood */
    public ChatWebSocketHandler(ChatServices services, ChatConnection connection, RateLimitedLog limitsLog) {
        this.limitsLog = limitsLog;
        this.services = services;
        this.connection = connection;
        this.bucket = new TokenBucket(services.config().floodBurst(), services.config().floodPerSecond(), services.clock());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof CloseWebSocketFrame close) {
            ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (connection.isDropped()) return;
        // every frame but a close takes a token, pings and pongs too: a ping flood makes the gateway write as much
        if (!bucket.tryTake()) {
            limitsLog.event("chat-flood", "cutting flooding connection %s of stream %s", connection.id(), connection.streamId());
            connection.close(WebSocketCloseStatus.POLICY_VIOLATION, FLOODING);
            return;
        }
        if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            return;
        }
        if (frame instanceof PongWebSocketFrame) return;
        if (!(frame instanceof TextWebSocketFrame)) {
            error("invalid", "only text frames are accepted", null);
            return;
        }
        InboundText.Result checked = InboundText.check(ByteBufUtil.getBytes(frame.content()), services.config().maxFrameBytes());
        if (checked instanceof InboundText.Refused r) {
            error(r.code(), r.message(), null);
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(((InboundText.Ok) checked).text());
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            error("invalid", "frames are JSON objects", null);
            return;
        }
        if (connection.identity() == null) {
            error("unauthenticated", "reading needs no token, but sending does: connect with ?token=", null);
            return;
        }
        switch (json.path("type").asText()) {
            case "send" -> send(json);
            case "moderate" -> moderate(json);
            default -> error("invalid", "unknown frame type", null);
        }
    }

    private void send(JsonNode json) {
        String text = json.path("text").asText("");
        if (text.isBlank()) {
            error("invalid", "empty message", null);
            return;
        }
        if (InboundText.chars(text) > services.config().maxChars()) {
            error("too_long", "messages are at most " + services.config().maxChars() + " characters", null);
            return;
        }
        String id = UUID.randomUUID().toString();
        services.publisher().submit(ChatSubmitted.of(connection.streamId(), id, connection.identity().user(), connection.role(),
                text, services.clock().millis(), services.rooms().originOf(connection)));
        connection.deliver(ChatFrames.sent(id));
    }

    private void moderate(JsonNode json) {
        ChatRole role = connection.role();
        if (!role.canModerate()) {
            error("forbidden", "only moderators and the broadcaster may moderate", null);
            return;
        }
        String action = json.path("action").asText(null);
        String target = json.path("target").asText(null);
        String messageId = json.path("messageId").asText(null);
        Integer seconds = json.hasNonNull("seconds") ? json.get("seconds").asInt() : null;
        String invalid = ChatModeration.invalidReason(action, target, messageId, seconds);
        if (invalid != null) {
            error("invalid", invalid, null);
            return;
        }
        String id = UUID.randomUUID().toString();
        services.publisher().moderate(new ChatModeration(ChatModeration.SCHEMA_VERSION, connection.streamId(), id, action,
                connection.identity().user(), role.wire(), target, messageId, seconds, services.clock().millis(),
                services.rooms().originOf(connection)));
        connection.deliver(ChatFrames.sent(id));
    }

    private void error(String code, String message, Integer retryAfter) {
        connection.deliver(ChatFrames.error(code, message, retryAfter, null));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) connection.drain();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        services.rooms().leave(connection);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // oversized or malformed WebSocket frames end here; the decoder has already answered with a close
        LOG.debug("chat socket {} failed: {}", connection.id(), cause.toString());
        ctx.close();
    }
}
