package io.livestream.origin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.audience.ViewerCountView;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.QuotaExceededException;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamPage;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import io.livestream.origin.store.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream collection: {@code GET /api/streams} (a page: {@code ?limit=1-200&cursor=}, three Redis round trips
 * whatever the size), {@code POST /api/streams} (operator; 429 over the broadcaster's stream quota),
 * {@code GET /api/streams/live}, {@code GET /api/streams/{id}}, {@code DELETE /api/streams/{id}} (operator). Blocking.
 */
final class StreamsHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsHandler.class);
    static final int DEFAULT_PAGE = 50;
    private static final int MAX_TITLE = 140;
    private static final int MAX_BROADCASTER_ID = 128;
    private static final int MAX_LADDER = 8;

    private final StreamRegistry registry;
    private final StreamAccess access;
    private final ViewerCounts viewers;
    private final StreamViews views;
    private final OperatorAuth operator;
    private final int maxStreamsPerBroadcaster;

    StreamsHandler(StreamRegistry registry, StreamAccess access, ViewerCounts viewers, StreamViews views, OperatorAuth operator,
                   int maxStreamsPerBroadcaster) {
        this.registry = registry;
        this.access = access;
        this.viewers = viewers;
        this.views = views;
        this.operator = operator;
        this.maxStreamsPerBroadcaster = maxStreamsPerBroadcaster;
    }

    Resource collection(Route.Streams route, OriginRequest request) {
        return request.method().equals("POST") ? create(request) : page(request);
    }

    private Resource page(OriginRequest request) {
        int limit = limit(request.queryParam("limit"));
        StreamPage page;
        try {
            page = registry.page(request.queryParam("cursor"), limit);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
        Map<String, Map<String, String>> counts = viewers.of(page.streams().stream().map(StreamInfo::id).toList());
        List<Map<String, Object>> streams = new ArrayList<>();
        for (StreamInfo info : page.streams()) {
            streams.add(views.view(info, page.disconnectedSince().containsKey(info.id()), ViewerCountView.count(counts.get(info.id()))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("streams", streams);
        body.put("nextCursor", page.nextCursor());
        return Resource.json(200, body);
    }

    private static int limit(String param) {
        if (param == null) return DEFAULT_PAGE;
        try {
            int limit = Integer.parseInt(param);
            if (limit >= 1 && limit <= StreamRegistry.MAX_PAGE) return limit;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new HttpError(400, "limit must be 1-" + StreamRegistry.MAX_PAGE);
    }

    private Resource create(OriginRequest request) {
        operator.require(request);
        JsonNode body = JsonBody.object(request.body());
        String title = JsonBody.text(body, "title");
        String broadcasterId = JsonBody.text(body, "broadcasterId");
        if (title.isBlank() || title.length() > MAX_TITLE) throw new HttpError(400, "title must be 1-" + MAX_TITLE + " characters");
        if (broadcasterId.isBlank() || broadcasterId.length() > MAX_BROADCASTER_ID) {
            throw new HttpError(400, "broadcasterId must be 1-" + MAX_BROADCASTER_ID + " characters");
        }
        CreatedStream created;
        try {
            created = registry.create(title, broadcasterId, ladder(body.get("ladder")), maxStreamsPerBroadcaster);
        } catch (QuotaExceededException e) {
            LOG.info("stream refused for broadcaster {}: quota of {} streams reached", broadcasterId, maxStreamsPerBroadcaster);
            throw new HttpError(429, e.getMessage());
        }
        String token = registry.issueBroadcasterToken(created.stream().id());
        Map<String, Object> view = views.view(created.stream(), false, 0);
        view.put("streamKey", created.streamKey());
        view.put("broadcasterToken", token);
        view.put("ingestUrl", views.ingestUrl(created.streamKey()));
        LOG.info("stream {} created for broadcaster {}", created.stream().id(), broadcasterId);
        return Resource.json(201, view);
    }

    /** The optional rendition ladder, e.g. ["source", "480p"]; null for the default. */
    private static List<String> ladder(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_LADDER) throw new HttpError(400, "ladder must be an array of 1-" + MAX_LADDER + " rendition names");
        List<String> ladder = new ArrayList<>();
        for (JsonNode rung : value) {
            if (!rung.isTextual() || !Names.isRendition(rung.asText())) throw new HttpError(400, "ladder must be an array of 1-" + MAX_LADDER + " rendition names");
            ladder.add(rung.asText());
        }
        return ladder;
    }

    Resource live(Route.LiveStreams route, OriginRequest request) {
        List<StreamInfo> live = registry.live();
        Map<String, Map<String, String>> counts = viewers.of(live.stream().map(StreamInfo::id).toList());
        return Resource.json(200, live.stream()
                .map(info -> views.view(info, access.reconnecting(info), ViewerCountView.count(counts.get(info.id())))).toList());
    }

    Resource one(Route.Stream route, OriginRequest request) {
        if (request.method().equals("DELETE")) return delete(route.streamId(), request);
        StreamInfo info = access.stream(route.streamId());
        return Resource.json(200, views.view(info, access.reconnecting(info), ViewerCountView.count(viewers.of(info.id()))));
    }

    /** Ends the stream if live (its publisher is dropped), removes it and its keys; its recordings stay, listed here. */
    private Resource delete(String id, OriginRequest request) {
        operator.require(request);
        StreamInfo info = access.stream(id);
        if (!registry.delete(id)) throw new HttpError(404, "unknown stream");
        LOG.info("stream {} deleted by the operator (was {})", id, info.status().wireName());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("deleted", true);
        body.put("wasLive", info.isLive());
        return Resource.json(200, body);
    }
}
