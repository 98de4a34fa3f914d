package io.livestream.origin.api;

import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;

/** {@code GET /api/streams/{id}/health}: the summary, the latest window and the last minutes. Blocking (the registry check). */
final class StreamHealthHandler {
    private final StreamAccess access;
    private final StreamViews views;

    StreamHealthHandler(StreamAccess access, StreamViews views) {
        this.access = access;
        this.views = views;
    }

    Resource health(Route.StreamHealth route, OriginRequest request) {
        access.stream(route.streamId());
        return Resource.json(200, views.health(route.streamId()));
    }
}
