package io.livestream.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the chat job publishes to the gateways (the room's Redis pub/sub channel, {@link ChatKeys#roomChannel}) and what a
 * gateway forwards to its sockets: exactly one of the payload fields is set, per {@code type}.
 *
 * <ul>
 *   <li>{@code message}: {@code message} accepted, for everyone in the room</li>
 *   <li>{@code rejected}: {@code rejected}, only for the sender named by its origin</li>
 *   <li>{@code moderation}: {@code moderation} applied (ban, unban, timeout, delete, slow, clear), for everyone</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatEvent(String type, String streamId, ChatAccepted message, ChatRejected rejected, ChatModeration moderation) {
    public static final String MESSAGE = "message";
    public static final String REJECTED = "rejected";
    public static final String MODERATION = "moderation";

    public static ChatEvent message(ChatAccepted m) {
        return new ChatEvent(MESSAGE, m.streamId(), m, null, null);
    }

    public static ChatEvent rejected(ChatRejected r) {
        return new ChatEvent(REJECTED, r.streamId(), null, r, null);
    }

    public static ChatEvent moderation(ChatModeration m) {
        return new ChatEvent(MODERATION, m.streamId(), null, null, m);
    }
}
