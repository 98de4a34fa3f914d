package io.livestream.chat.auth;

import io.livestream.common.chat.ChatRole;

/**
 * Who a chat token says its bearer is.
 *
 * @param streamId the stream a moderator or broadcaster token is for; null for a viewer token (any stream)
 * @param expiresAt epoch seconds
 */
public record ChatIdentity(String user, ChatRole role, String streamId, long expiresAt) {
    /** The role in this stream: moderator and broadcaster rights hold only in their own stream. */
    public ChatRole roleIn(String stream) {
        return role == ChatRole.VIEWER || stream.equals(streamId) ? role : ChatRole.VIEWER;
    }
}
