package io.livestream.origin.audience;

import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Route;
import io.livestream.origin.http.RouteObserver;
import io.netty.handler.codec.http.HttpHeaderNames;

/**
 * Tells a {@link PlaylistRequestListener} of every media playlist GET; the HLS routes serve the playlist as before.
 * The client address is the first X-Forwarded-For entry (behind a CDN or proxy), else the socket's peer.
 */
public final class ViewerHeartbeatObserver implements RouteObserver {
    private final PlaylistRequestListener listener;

    public ViewerHeartbeatObserver(PlaylistRequestListener listener) {
        this.listener = listener;
    }

    @Override
    public void observe(Route route, OriginRequest request) {
        if (!request.method().equals("GET") || !(route instanceof Route.Media media)) return;
        listener.onMediaPlaylist(media.streamId(), media.rendition(), request.queryParam("vsid"), request.clientIp(),
                request.header(HttpHeaderNames.USER_AGENT));
    }
}
