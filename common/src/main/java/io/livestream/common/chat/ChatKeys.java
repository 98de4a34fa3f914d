package io.livestream.common.chat;

/**
 * The chat's Redis layout under the platform key prefix (default {@code ls:}): {@code chat:history:<id>} a list of
 * {@link ChatAccepted} JSON, newest first, at most {@value #HISTORY_LIMIT}; {@code chat:events:<id>} the pub/sub
 * channel of that room's {@link ChatEvent} JSON, which a gateway subscribes to while it serves the room (so a
 * gateway receives only its rooms, not every message of every stream); {@code chat:gateway:<gatewayId>} a
 * gateway's own channel; {@code chat:moderators:<id>} a set of user names to whom the gateway issues moderator
 * tokens for that stream.
 */
public final class ChatKeys {
    public static final int HISTORY_LIMIT = 200;

    public static String history(String prefix, String streamId) {
        return prefix + "chat:history:" + streamId;
    }

    public static String roomChannel(String prefix, String streamId) {
        return prefix + "chat:events:" + streamId;
    }

    public static String gatewayChannel(String prefix, String gatewayId) {
        return prefix + "chat:gateway:" + gatewayId;
    }

    public static String moderators(String prefix, String streamId) {
        return prefix + "chat:moderators:" + streamId;
    }

    private ChatKeys() {}
}
