package io.livestream.origin.api;

import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.dvr.DvrResources;
import io.livestream.origin.dvr.SessionManifest;
import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/streams/{id}/recordings}: the stream's recorded sessions; {@code DELETE /api/recordings/{sessionId}}
 * (operator): removes one session's files, refused (409) while that session is live. Blocking (registry and disk).
 */
final class RecordingsHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingsHandler.class);

    private final StreamRegistry registry;
    private final StreamAccess access;
    private final DvrResources recordings;
    private final StreamViews views;
    private final OperatorAuth operator;

    /** @param recordings null when the origin records nothing */
    RecordingsHandler(StreamRegistry registry, StreamAccess access, DvrResources recordings, StreamViews views, OperatorAuth operator) {
        this.registry = registry;
        this.access = access;
        this.recordings = recordings;
        this.views = views;
        this.operator = operator;
    }

    Resource delete(Route.Recording route, OriginRequest request) {
        operator.require(request);
        String sessionId = route.sessionId();
        SessionManifest session = recordings == null ? null : recordings.store().session(sessionId).orElse(null);
        if (session == null) throw new HttpError(404, "no such recording");
        boolean live = registry.get(session.streamId()).map(s -> s.isLive() && sessionId.equals(s.currentSessionId())).orElse(false);
        if (live) throw new HttpError(409, "the session is live: end the stream first");
        if (!recordings.store().delete(sessionId)) throw new HttpError(404, "no such recording");
        LOG.info("recording {} of stream {} deleted by the operator", sessionId, session.streamId());
        return Resource.json(200, Map.of("sessionId", sessionId, "streamId", session.streamId(), "deleted", true));
    }

    Resource list(Route.Recordings route, OriginRequest request) {
        String id = route.streamId();
        access.stream(id);
        return Resource.json(200, Map.of("streamId", id,
                "recordings", recordings == null ? List.of() : recordings.recordingsOf(id, views.httpBase())));
    }
}
