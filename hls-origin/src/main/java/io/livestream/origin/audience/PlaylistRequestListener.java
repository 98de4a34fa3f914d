package io.livestream.origin.audience;

/** Told of every media playlist request: a player polling a playlist is a viewer watching that rendition. */
@FunctionalInterface
public interface PlaylistRequestListener {
    PlaylistRequestListener NONE = (streamId, rendition, vsid, clientIp, userAgent) -> {};

    /**
     * Called on an event loop: must not block.
     *
     * @param vsid the {@code vsid} query parameter the player page sets, or null
     */
    void onMediaPlaylist(String streamId, String rendition, String vsid, String clientIp, String userAgent);
}
