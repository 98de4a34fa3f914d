package io.livestream.common.chat;

/**
 * The chat's Redis layout under the platform key prefix (default {@code ls:}): {@code chat:history:<id>} a list of
 * {@link ChatAccepted} JSON, newest first, at most {@value #HISTORY_LIMIT}; {@code chat:events} the pub/sub channel of
 * {@link ChatEvent} JSON that every gateway subscribes to; {@code chat:moderators:<id>} a set of user names to whom
 * the gateway issues moderator tokens for that stream.
 */
public final class ChatKeys {
    public static final int HISTORY_LIMIT = 200;

    public static String history(String prefix, String streamId) {
        return prefix + "chat:history:" + streamId;
    }

    public static String eventsChannel(String prefix) {
        return prefix + "chat:events";
    }

    public static String moderators(String prefix, String streamId) {
        return prefix + "chat:moderators:" + streamId;
    }

    private ChatKeys() {}
}
