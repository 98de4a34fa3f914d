package io.livestream.origin.audience;

import io.livestream.origin.http.HttpExtension;
import io.livestream.origin.http.OriginRouter;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * Observes media playlist requests and tells a {@link PlaylistRequestListener}; answers nothing itself (always null),
 * so the HLS routes serve the playlist as before. Put it first among the origin's extensions. The client address
 * is the first X-Forwarded-For entry (behind a CDN or proxy), else what the handler stored in {@link #CLIENT_IP_HEADER}.
 */
public final class ViewerHeartbeatExtension implements HttpExtension {
    /** Set by the origin's handler from the socket's remote address, overwriting anything a client sent. */
    public static final String CLIENT_IP_HEADER = "X-Livestream-Client-Ip";

    private final PlaylistRequestListener listener;

    public ViewerHeartbeatExtension(PlaylistRequestListener listener) {
        this.listener = listener;
    }

    @Override
    public Resource handle(FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.GET)) return null;
        if (OriginRouter.route(request.uri()) instanceof Route.Media media) {
            List<String> vsid = new QueryStringDecoder(request.uri()).parameters().get("vsid");
            listener.onMediaPlaylist(media.streamId(), media.rendition(), vsid == null || vsid.isEmpty() ? null : vsid.get(0),
                    clientIp(request), request.headers().get(HttpHeaderNames.USER_AGENT));
        }
        return null;
    }

    static String clientIp(FullHttpRequest request) {
        String forwarded = request.headers().get("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) return forwarded.split(",")[0].trim();
        return request.headers().get(CLIENT_IP_HEADER);
    }
}
