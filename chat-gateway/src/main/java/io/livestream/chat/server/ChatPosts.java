package io.livestream.chat.server;

import static io.livestream.chat.server.ChatHttpHandler.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.auth.ChatIdentity;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.chat.limits.InboundText;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code POST /api/streams/{id}/chat}: submit and wait for the chat job's verdict. Blocking (it waits). */
final class ChatPosts {
    private final ChatServices services;

    ChatPosts(ChatServices services) {
        this.services = services;
    }

    /**
     * The reference API's POST: the same path as a socket message, waiting briefly for the job's verdict. A token
     * (Authorization: Bearer) gives the identity; without one, {@code username} in the body speaks as a viewer.
     */
    ChatReply post(String streamId, Optional<ChatIdentity> identity, JsonNode body) {
        String user = identity.map(ChatIdentity::user).orElse(text(body, "username"));
        if (user == null || !ChatTokens.USER_NAME.matcher(user).matches()) {
            return new ChatReply(HttpResponseStatus.UNAUTHORIZED, Map.of("error", "a chat token or a username is needed"));
        }
        ChatRole role = identity.map(i -> i.roleIn(streamId)).orElse(ChatRole.VIEWER);
        String text = Optional.ofNullable(text(body, "text")).orElse(text(body, "message"));
        if (text == null || text.isBlank()) return new ChatReply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "empty message"));
        if (InboundText.chars(text) > services.config().maxChars()) {
            return new ChatReply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "too_long"));
        }
        String id = UUID.randomUUID().toString();
        long waitMs = services.config().verdictTimeout().toMillis();
        // the verdict comes on the room's channel: follow the room while waiting, sockets here or not
        CompletableFuture<Void> following = services.rooms().subscriptions().follow(streamId);
        try {
            following.get(waitMs, TimeUnit.MILLISECONDS);
            CompletableFuture<ChatEvent> verdict = services.verdicts().register(id);
            services.publisher().submit(ChatSubmitted.of(streamId, id, user, role, text, services.clock().millis(),
                    services.config().gatewayId() + "/http"));
            try {
                ChatEvent e = verdict.get(waitMs, TimeUnit.MILLISECONDS);
                if (ChatEvent.MESSAGE.equals(e.type())) return new ChatReply(HttpResponseStatus.CREATED, e.message());
                return rejection(e.rejected());
            } catch (TimeoutException e) {
                verdict.cancel(false);
                return new ChatReply(HttpResponseStatus.ACCEPTED, Map.of("id", id, "status", "pending"));
            }
        } catch (TimeoutException e) {
            return new ChatReply(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", "chat is unavailable, try again shortly"))
                    .withRetryAfter(1);
        } catch (Exception e) {
            return new ChatReply(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "internal error"));
        } finally {
            services.rooms().subscriptions().unfollow(streamId);
        }
    }

    static ChatReply rejection(ChatRejected r) {
        HttpResponseStatus status = switch (r.reason()) {
            case ChatRejected.SLOW_MODE, ChatRejected.TIMED_OUT -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case ChatRejected.BANNED, ChatRejected.FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", r.reason());
        out.put("message", r.detail());
        if (r.retryAfterSeconds() != null) out.put("retryAfterSeconds", r.retryAfterSeconds());
        ChatReply reply = new ChatReply(status, out);
        return r.retryAfterSeconds() == null ? reply : reply.withRetryAfter(r.retryAfterSeconds());
    }
}
