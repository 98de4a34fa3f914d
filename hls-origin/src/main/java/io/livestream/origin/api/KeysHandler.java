package io.livestream.origin.api;

import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/streams/{id}/key/rotate}: a new stream key (shown once), the old one stops at once. Blocking. */
final class KeysHandler {
    private final StreamRegistry registry;
    private final StreamAccess access;
    private final StreamViews views;

    KeysHandler(StreamRegistry registry, StreamAccess access, StreamViews views) {
        this.registry = registry;
        this.access = access;
        this.views = views;
    }

    Resource rotate(Route.RotateKey route, OriginRequest request) {
        String id = route.streamId();
        access.stream(id);
        access.authorizeBroadcaster(id, request);
        String key = registry.rotateKey(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("streamKey", key);
        out.put("ingestUrl", views.ingestUrl(key));
        return Resource.json(200, out);
    }
}
