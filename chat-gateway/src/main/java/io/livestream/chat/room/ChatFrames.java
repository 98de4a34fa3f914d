package io.livestream.chat.room;

import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON frames a gateway sends to clients (documented in chat-gateway/README.md):
 * welcome, history, message, moderation, sent, error.
 */
public final class ChatFrames {
    public static byte[] welcome(String streamId, String user, String role) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "welcome");
        f.put("streamId", streamId);
        if (user != null) f.put("user", user);
        f.put("role", role);
        return Json.toBytes(f);
    }

    /** The last messages, oldest first. */
    public static byte[] history(List<ChatAccepted> messages) {
        return Json.toBytes(Map.of("type", "history", "messages", messages));
    }

    public static byte[] message(ChatAccepted m) {
        return Json.toBytes(Map.of("type", "message", "message", m));
    }

    public static byte[] moderation(ChatModeration m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "moderation");
        f.put("action", m.action());
        f.put("by", m.moderator());
        if (m.target() != null) f.put("target", m.target());
        if (m.messageId() != null) f.put("messageId", m.messageId());
        if (m.seconds() != null) f.put("seconds", m.seconds());
        return Json.toBytes(f);
    }

    /** Acknowledges a submission: the id under which it will be accepted or refused. */
    public static byte[] sent(String id) {
        return Json.toBytes(Map.of("type", "sent", "id", id));
    }

    public static byte[] error(String code, String message, Integer retryAfterSeconds, String id) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "error");
        f.put("code", code);
        f.put("message", message);
        if (retryAfterSeconds != null) f.put("retryAfterSeconds", retryAfterSeconds);
        if (id != null) f.put("id", id);
        return Json.toBytes(f);
    }

    private ChatFrames() {}
}
