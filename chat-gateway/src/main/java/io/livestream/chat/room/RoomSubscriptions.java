package io.livestream.chat.room;

import java.util.concurrent.CompletableFuture;

/**
 * Which rooms' events this gateway receives. A gateway follows a room while it has a socket in it or a post
 * waiting for its verdict, so it gets only the rooms it serves, not every message of every stream.
 */
public interface RoomSubscriptions {
    /** Counted: the room is followed until as many {@link #unfollow} calls; completes once its events arrive. */
    CompletableFuture<Void> follow(String streamId);

    void unfollow(String streamId);

    /** For rooms fed by hand (tests): every room is "followed" already. */
    RoomSubscriptions NONE = new RoomSubscriptions() {
        @Override public CompletableFuture<Void> follow(String streamId) { return CompletableFuture.completedFuture(null); }

        @Override public void unfollow(String streamId) { }
    };
}
