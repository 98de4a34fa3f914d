package io.livestream.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An accepted message on {@code chat.accepted} (JSON, schema version {@value #SCHEMA_VERSION}), key = stream id; the
 * same JSON is what the Redis history holds and what clients receive.
 *
 * @param sentAt epoch milliseconds at which the gateway received it
 * @param streamTime seconds since the session went live, for aligning with the video; null when not live
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatAccepted(int v, String streamId, String messageId, String user, String role, String text,
                           long sentAt, Double streamTime) {
    public static final int SCHEMA_VERSION = 1;

    public static ChatAccepted of(ChatSubmitted s, Double streamTime) {
        return new ChatAccepted(SCHEMA_VERSION, s.streamId(), s.messageId(), s.user(), s.role(), s.text(), s.receivedAt(), streamTime);
    }
}
