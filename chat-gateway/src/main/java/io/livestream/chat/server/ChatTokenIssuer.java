package io.livestream.chat.server;

import static io.livestream.chat.server.ChatHttpHandler.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.common.chat.ChatRole;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code POST /api/chat/token}: who gets which role. Blocking (the role look-ups read Redis). */
final class ChatTokenIssuer {
    private final ChatServices services;

    ChatTokenIssuer(ChatServices services) {
        this.services = services;
    }

    ChatReply issue(JsonNode body) {
        String user = text(body, "username");
        if (user == null || !ChatTokens.USER_NAME.matcher(user).matches()) {
            return new ChatReply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "username: 1-25 letters, digits or _"));
        }
        String streamId = text(body, "streamId");
        String streamKey = text(body, "streamKey");
        String broadcasterToken = text(body, "broadcasterToken");
        ChatRole role = ChatRole.VIEWER;
        if (broadcasterToken != null) {
            // the token from POST /api/streams names no stream by itself: the caller says which one it is for
            if (streamId == null) return new ChatReply(HttpResponseStatus.BAD_REQUEST, Map.of("error", "broadcasterToken needs streamId"));
            if (!services.roles().isBroadcasterToken(streamId, broadcasterToken)) {
                return new ChatReply(HttpResponseStatus.FORBIDDEN, Map.of("error", "broadcaster token does not match"));
            }
            role = ChatRole.BROADCASTER;
        } else if (streamKey != null) {
            Optional<String> owned = services.roles().streamOfKey(streamKey);
            if (owned.isEmpty() || (streamId != null && !streamId.equals(owned.get()))) {
                return new ChatReply(HttpResponseStatus.FORBIDDEN, Map.of("error", "stream key does not match"));
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
        return ChatReply.ok(out);
    }
}
