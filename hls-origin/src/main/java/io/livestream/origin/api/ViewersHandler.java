package io.livestream.origin.api;

import io.livestream.common.audience.ViewerCountView;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;

/** {@code GET /api/streams/{id}/viewers}: {@code {"streamId","count","peak","updatedAt","byRendition"}}. Blocking. */
final class ViewersHandler {
    private final StreamAccess access;
    private final ViewerCounts viewers;

    ViewersHandler(StreamAccess access, ViewerCounts viewers) {
        this.access = access;
        this.viewers = viewers;
    }

    Resource viewers(Route.Viewers route, OriginRequest request) {
        String id = access.stream(route.streamId()).id();
        return Resource.json(200, ViewerCountView.of(id, viewers.of(id)));
    }
}
