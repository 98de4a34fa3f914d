package io.livestream.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A moderator action on {@code chat.moderation} (JSON, schema version {@value #SCHEMA_VERSION}), key = stream id.
 *
 * @param action one of ban, unban, timeout, delete, slow, clear
 * @param target the user banned, unbanned or timed out; null otherwise
 * @param messageId the message deleted; null otherwise
 * @param seconds the timeout length (1 s to 2 weeks) or the slow-mode interval (0 or 3 to 120 s); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatModeration(int v, String streamId, String actionId, String action, String moderator, String role,
                             String target, String messageId, Integer seconds, long receivedAt, String origin) {
    public static final int SCHEMA_VERSION = 1;
    public static final String BAN = "ban";
    public static final String UNBAN = "unban";
    public static final String TIMEOUT = "timeout";
    public static final String DELETE = "delete";
    public static final String SLOW = "slow";
    public static final String CLEAR = "clear";

    public static final int MIN_TIMEOUT_SECONDS = 1;
    public static final int MAX_TIMEOUT_SECONDS = 14 * 24 * 3600;
    public static final int MIN_SLOW_SECONDS = 3;
    public static final int MAX_SLOW_SECONDS = 120;

    /** Why the action is malformed, or null when it is well-formed; shared by gateway (early refusal) and job. */
    public static String invalidReason(String action, String target, String messageId, Integer seconds) {
        if (action == null) return "missing action";
        return switch (action) {
            case BAN, UNBAN -> target == null || target.isBlank() ? "missing target" : null;
            case TIMEOUT -> target == null || target.isBlank() ? "missing target"
                    : seconds == null || seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS
                    ? "timeout must be 1 s to 2 weeks" : null;
            case DELETE -> messageId == null || messageId.isBlank() ? "missing messageId" : null;
            case SLOW -> seconds == null || (seconds != 0 && (seconds < MIN_SLOW_SECONDS || seconds > MAX_SLOW_SECONDS))
                    ? "slow mode must be 0 or 3 to 120 s" : null;
            case CLEAR -> null;
            default -> "unknown action " + action;
        };
    }
}
