package io.livestream.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A refused message or moderator action on {@code chat.rejected} (JSON, schema version {@value #SCHEMA_VERSION}).
 *
 * @param id the refused message's or action's id
 * @param reason one of the constants below
 * @param retryAfterSeconds for slow_mode and timed_out: whole seconds until the user may speak again
 * @param origin "gatewayId/connectionId" of the sender, so its gateway tells it why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRejected(int v, String streamId, String id, String user, String reason, String detail,
                           Integer retryAfterSeconds, long at, String origin) {
    public static final int SCHEMA_VERSION = 1;
    public static final String SLOW_MODE = "slow_mode";
    public static final String BANNED = "banned";
    public static final String TIMED_OUT = "timed_out";
    public static final String TOO_LONG = "too_long";
    public static final String DUPLICATE = "duplicate";
    public static final String BLOCKED_WORD = "blocked_word";
    public static final String FORBIDDEN = "forbidden";
    public static final String INVALID = "invalid";

    public static ChatRejected of(String streamId, String id, String user, String reason, String detail,
                                  Integer retryAfterSeconds, long at, String origin) {
        return new ChatRejected(SCHEMA_VERSION, streamId, id, user, reason, detail, retryAfterSeconds, at, origin);
    }
}
