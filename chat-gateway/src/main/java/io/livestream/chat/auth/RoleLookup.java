package io.livestream.chat.auth;

import java.util.Optional;

/** What the token endpoint needs to know to grant more than the viewer role. */
public interface RoleLookup {
    /** The stream whose (secret) stream key this is: its holder is the broadcaster. */
    Optional<String> streamOfKey(String streamKey);

    /** Whether {@code broadcasterToken} is the current broadcaster token of the stream (from its creation by the API). */
    boolean isBroadcasterToken(String streamId, String broadcasterToken);

    /** Whether the broadcaster made this user a moderator of the stream. */
    boolean isModerator(String streamId, String user);
}
