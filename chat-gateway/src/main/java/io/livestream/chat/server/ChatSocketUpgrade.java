package io.livestream.chat.server;

import io.livestream.chat.auth.ChatIdentity;
import io.livestream.chat.room.ChatConnection;
import io.livestream.chat.room.ChatFrames;
import io.livestream.netguard.HttpRequestDeadline;
import io.livestream.netguard.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;

/**
 * Turns an HTTP connection into a chat socket: the handshake, the WebSocket handlers in place of the HTTP one, the
 * join, then the history read off the event loop (none if the blocking executor is full: chat without history).
 */
final class ChatSocketUpgrade {
    /** WebSocket frames up to this size are read so that they can be refused with an error frame; larger ones close. */
    static final int MAX_WS_FRAME = 64 * 1024;

    private final ChatServices services;
    private final RateLimitedLog limitsLog;

    ChatSocketUpgrade(ChatServices services, RateLimitedLog limitsLog) {
        this.services = services;
        this.limitsLog = limitsLog;
    }

    /** @param identity empty for a read-only socket */
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String streamId, String path, Optional<ChatIdentity> identity) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_WS_FRAME)
                .allowExtensions(false)
                .withUTF8Validator(false) // invalid UTF-8 gets an error frame from us instead of a close
                .build();
        String location = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + path;
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, decoder).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChatConnection connection = new ChatConnection(UUID.randomUUID().toString().substring(0, 13), streamId,
                identity.orElse(null), ctx.channel(), services.config().outboundQueueFrames(), services.rooms().metrics()::dropped,
                handshaker.version() != WebSocketVersion.V00);
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "ws-keepalive", new WebSocketKeepAlive(services.config().pingIntervalSec(), limitsLog));
        p.addAfter("ws-keepalive", "ws-aggregator", new WebSocketFrameAggregator(MAX_WS_FRAME));
        p.addAfter("ws-aggregator", "chat-ws", new ChatWebSocketHandler(services, connection, limitsLog));
        p.remove(ctx.handler());
        // the HTTP phase's limits end here: a chat socket idles legitimately, and its pings tell the live from the dead
        HttpRequestDeadline.remove(p);
        if (p.get(ChatChannelInitializer.HTTP_IDLE) != null) p.remove(ChatChannelInitializer.HTTP_IDLE);
        // room frames come one write and one flush per socket per loop turn (LoopFanout); deferring each of those
        // flushes to a task of its own, as the consolidation does outside a read, would only add a task per socket
        if (p.get(ChatChannelInitializer.FLUSH_CONSOLIDATION) != null) p.remove(ChatChannelInitializer.FLUSH_CONSOLIDATION);
        handshaker.handshake(ctx.channel(), req).addListener(done -> {
            if (!done.isSuccess()) {
                ctx.channel().close();
                return;
            }
            CompletableFuture<Void> following = services.rooms().join(connection);
            connection.deliver(ChatFrames.welcome(streamId, identity.map(ChatIdentity::user).orElse(null), connection.role().wire()));
            try {
                services.blocking().execute(() -> {
                    try {
                        // the history is read once the room's events reach us: a message between the two is in one
                        awaitQuietly(following);
                        connection.completeJoin(services.store().recent(streamId, services.config().historyOnJoin()));
                    } catch (RuntimeException e) {
                        connection.completeJoin(List.of()); // no history is better than no chat
                    }
                });
            } catch (RejectedExecutionException e) {
                connection.completeJoin(List.of()); // overloaded: join without history rather than not at all
            }
        });
    }

    /** Waits a little for a room's subscription; without it the socket still gets the history and what follows. */
    private static void awaitQuietly(CompletableFuture<Void> following) {
        try {
            following.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Redis is slow or away: the subscriber resubscribes every followed room when it is back
        }
    }
}
