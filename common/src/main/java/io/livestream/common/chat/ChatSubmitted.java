package io.livestream.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message as sent by a user, on {@code chat.submitted} (JSON, schema version {@value #SCHEMA_VERSION}), key = stream id.
 *
 * @param messageId unique id given by the gateway, so the verdict can find its way back
 * @param role viewer, moderator or broadcaster, as proven by the sender's chat token
 * @param receivedAt epoch milliseconds at which the gateway received it; slow mode and duplicates are judged on it
 * @param origin where to send a refusal: "gatewayId/connectionId" of the sender
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatSubmitted(int v, String streamId, String messageId, String user, String role, String text,
                            long receivedAt, String origin) {
    public static final int SCHEMA_VERSION = 1;

    public static ChatSubmitted of(String streamId, String messageId, String user, ChatRole role, String text,
                                   long receivedAt, String origin) {
        return new ChatSubmitted(SCHEMA_VERSION, streamId, messageId, user, role.wire(), text, receivedAt, origin);
    }
}
