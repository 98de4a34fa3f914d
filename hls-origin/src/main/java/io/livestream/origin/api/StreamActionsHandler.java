package io.livestream.origin.api;

import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/streams/{id}/start} (with the stream key) and {@code .../end} (with the broadcaster token). Blocking. */
final class StreamActionsHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamActionsHandler.class);

    private final StreamRegistry registry;
    private final StreamAccess access;
    private final StreamViews views;

    StreamActionsHandler(StreamRegistry registry, StreamAccess access, StreamViews views) {
        this.registry = registry;
        this.access = access;
        this.views = views;
    }

    Resource start(Route.StartStream route, OriginRequest request) {
        String id = route.streamId();
        StreamInfo info = access.stream(id);
        String key = JsonBody.text(JsonBody.object(request.body()), "streamKey");
        if (!registry.checkStreamKey(id, key)) throw new HttpError(401, "wrong stream key");
        boolean reconnecting = access.reconnecting(info);
        if (info.isLive() && !reconnecting) throw new HttpError(409, "already live");
        Map<String, Object> view = views.view(info, reconnecting, 0);
        view.put("ingestUrl", views.ingestUrl(key));
        return Resource.json(200, view);
    }

    Resource end(Route.EndStream route, OriginRequest request) {
        String id = route.streamId();
        StreamInfo info = access.stream(id);
        access.authorizeBroadcaster(id, request);
        if (!info.isLive() || !registry.end(id, info.currentSessionId(), "api")) throw new HttpError(409, "not live");
        LOG.info("stream {} session {} ended by the API", id, info.currentSessionId());
        return Resource.json(200, views.view(access.stream(id), false, 0));
    }
}
