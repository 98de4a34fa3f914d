package io.livestream.origin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.dvr.DvrResources;
import io.livestream.origin.http.HttpExtension;
import io.livestream.origin.http.Resource;
import io.livestream.origin.store.Names;
import io.livestream.origin.store.RenditionInfo;
import io.livestream.origin.store.SegmentStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The control API under {@code /api/streams} plus {@code /api/openapi.json} and {@code /ready}. Leaves the HLS routes
 * ({@code /api/streams/{id}/master.m3u8} and below) and chat to others. JSON in and out; every refusal is
 * {@code {"error": ...}} with 400/401/404/405/409 (413 comes from the HTTP pipeline).
 */
public final class StreamsApi implements HttpExtension {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsApi.class);
    private static final int MAX_TITLE = 140;
    private static final int MAX_BROADCASTER_ID = 128;
    private static final String NO_STORE = "no-store";

    /** A dependency the readiness probe checks: the probe throws or returns false when it is down. */
    public record ReadinessCheck(String name, Callable<Boolean> probe) {}

    private final StreamRegistry registry;
    private final UnifiedJedis redis;
    private final SegmentStore segments;
    private final DvrResources recordings;
    private final HealthHistory health;
    private final ApiConfig config;
    private final List<ReadinessCheck> checks;
    private final byte[] openApi;

    /**
     * @param recordings null when the origin records nothing
     * @param health null when the origin does not read {@code live.stream-health}
     */
    public StreamsApi(StreamRegistry registry, UnifiedJedis redis, SegmentStore segments, DvrResources recordings,
                      HealthHistory health, ApiConfig config, List<ReadinessCheck> checks) {
        this.registry = registry;
        this.redis = redis;
        this.segments = segments;
        this.recordings = recordings;
        this.health = health;
        this.config = config;
        this.checks = new ArrayList<>(List.of(new ReadinessCheck("redis", () -> "PONG".equals(redis.ping()))));
        this.checks.addAll(checks);
        this.openApi = loadOpenApi();
    }

    @Override
    public Resource handle(FullHttpRequest request) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (request.method().equals(HttpMethod.OPTIONS)) return null; // CORS preflight: the origin's handler answers
        if (path.equals("/ready")) return only(request, HttpMethod.GET) ? ready() : error(405, "method not allowed");
        if (!path.startsWith("/api/")) return null;
        String[] p = path.substring(1).split("/", -1);
        if (isOthers(p)) return null;
        try {
            return route(request, p);
        } catch (ApiException e) {
            return error(e.status, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("API call {} {} failed: {}", request.method(), path, e.toString());
            return error(503, "registry unavailable");
        }
    }

    /** HLS playlists and segments under /api/streams/{id}/ are the origin's; chat is the chat gateway's hook. */
    private static boolean isOthers(String[] p) {
        if (p.length < 4 || !p[1].equals("streams")) return false;
        if (p.length == 4) return p[3].equals("master.m3u8") || p[3].equals("chat");
        return p.length == 5 && !(p[3].equals("key") && p[4].equals("rotate"));
    }

    private Resource route(FullHttpRequest request, String[] p) {
        HttpMethod m = request.method();
        if (p.length == 2 && p[1].equals("openapi.json")) {
            require(m, HttpMethod.GET);
            return new Resource(200, openApi, Resource.JSON_TYPE, "public, max-age=300", null, false);
        }
        if (p.length < 2 || !p[1].equals("streams")) throw new ApiException(404, "no such resource");
        if (p.length == 2) {
            if (m.equals(HttpMethod.POST)) return create(request);
            require(m, HttpMethod.GET);
            return json(200, registry.list().stream().map(this::view).toList());
        }
        if (p.length == 3 && p[2].equals("live")) {
            require(m, HttpMethod.GET);
            return json(200, registry.live().stream().map(this::view).toList());
        }
        String id = p[2];
        if (p.length == 3) {
            require(m, HttpMethod.GET);
            return json(200, view(stream(id)));
        }
        if (p.length == 4) {
            switch (p[3]) {
                case "start" -> { require(m, HttpMethod.POST); return start(id, request); }
                case "end" -> { require(m, HttpMethod.POST); return end(id, request); }
                case "health" -> { require(m, HttpMethod.GET); return health(id); }
                case "recordings" -> { require(m, HttpMethod.GET); return recordings(id); }
                case "viewers" -> { require(m, HttpMethod.GET); return json(200, viewers(stream(id).id())); }
                default -> throw new ApiException(404, "no such resource");
            }
        }
        if (p.length == 5 && p[3].equals("key") && p[4].equals("rotate")) {
            require(m, HttpMethod.POST);
            return rotate(id, request);
        }
        throw new ApiException(404, "no such resource");
    }

    // ---- handlers

    private Resource create(FullHttpRequest request) {
        JsonNode body = body(request);
        String title = text(body, "title");
        String broadcasterId = text(body, "broadcasterId");
        if (title.isBlank() || title.length() > MAX_TITLE) throw new ApiException(400, "title must be 1-" + MAX_TITLE + " characters");
        if (broadcasterId.isBlank() || broadcasterId.length() > MAX_BROADCASTER_ID) {
            throw new ApiException(400, "broadcasterId must be 1-" + MAX_BROADCASTER_ID + " characters");
        }
        CreatedStream created = registry.create(title, broadcasterId, null);
        String token = registry.issueBroadcasterToken(created.stream().id());
        Map<String, Object> view = view(created.stream());
        view.put("streamKey", created.streamKey());
        view.put("broadcasterToken", token);
        view.put("ingestUrl", ingestUrl(created.streamKey()));
        LOG.info("stream {} created for broadcaster {}", created.stream().id(), broadcasterId);
        return json(201, view);
    }

    private Resource start(String id, FullHttpRequest request) {
        StreamInfo info = stream(id);
        String key = text(body(request), "streamKey");
        if (!registry.checkStreamKey(id, key)) throw new ApiException(401, "wrong stream key");
        if (info.isLive() && registry.disconnectedSince(id).isEmpty()) throw new ApiException(409, "already live");
        Map<String, Object> view = view(info);
        view.put("ingestUrl", ingestUrl(key));
        return json(200, view);
    }

    private Resource end(String id, FullHttpRequest request) {
        StreamInfo info = stream(id);
        authorize(id, request);
        if (!info.isLive() || !registry.end(id, info.currentSessionId(), "api")) throw new ApiException(409, "not live");
        LOG.info("stream {} session {} ended by the API", id, info.currentSessionId());
        return json(200, view(stream(id)));
    }

    private Resource rotate(String id, FullHttpRequest request) {
        stream(id);
        authorize(id, request);
        String key = registry.rotateKey(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("streamKey", key);
        out.put("ingestUrl", ingestUrl(key));
        return json(200, out);
    }

    private Resource health(String id) {
        stream(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("streamId", id);
        out.put("summary", healthSummary(id));
        out.put("latest", health == null ? null : health.latest(id).orElse(null));
        out.put("history", health == null ? List.of() : health.recent(id));
        return json(200, out);
    }

    private Resource recordings(String id) {
        stream(id);
        return json(200, Map.of("streamId", id, "recordings", recordings == null ? List.of() : recordings.recordingsOf(id, config.httpBase())));
    }

    private Resource ready() {
        Map<String, String> results = new LinkedHashMap<>();
        boolean up = true;
        for (ReadinessCheck check : checks) {
            String result;
            try {
                result = Boolean.TRUE.equals(check.probe().call()) ? "up" : "down";
            } catch (Exception e) {
                result = "down: " + e.getMessage();
            }
            if (!result.equals("up")) up = false;
            results.put(check.name(), result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", results);
        return json(up ? 200 : 503, body);
    }

    // ---- views

    private Map<String, Object> view(StreamInfo info) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", info.id());
        v.put("title", info.title());
        v.put("broadcasterId", info.broadcasterId());
        v.put("status", info.status().wireName());
        v.put("createdAt", iso(info.createdAt()));
        v.put("startedAt", info.liveSince() == null ? null : iso(info.liveSince()));
        if (info.endedAt() != null) v.put("endedAt", iso(info.endedAt()));
        if (info.endReason() != null) v.put("endReason", info.endReason());
        if (info.currentSessionId() != null) v.put("sessionId", info.currentSessionId());
        if (info.isLive()) v.put("reconnecting", registry.disconnectedSince(info.id()).isPresent());
        v.put("ingestServer", config.ingestServer());
        v.put("playbackUrl", config.httpBase() + "/live/" + info.id() + "/master.m3u8");
        v.put("dvrUrl", config.httpBase() + "/dvr/" + info.id() + "/master.m3u8");
        v.put("viewerCount", viewers(info.id()).get("count"));
        v.put("health", healthSummary(info.id()));
        v.put("renditions", renditions(info));
        return v;
    }

    private List<Map<String, Object>> renditions(StreamInfo info) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RenditionInfo r : segments.renditions(info.id())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.rendition());
            m.put("width", r.width());
            m.put("height", r.height());
            m.put("frameRate", r.frameRate());
            m.put("bandwidth", r.bandwidth());
            m.put("codecs", r.codecs());
            out.add(m);
        }
        return out;
    }

    /** Written by the audience job: hash {@code <prefix>viewers:<id>} with count, peak, updatedAt; zeros when absent. */
    private Map<String, Object> viewers(String id) {
        Map<String, String> hash = redis.hgetAll(config.keyPrefix() + "viewers:" + id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("streamId", id);
        out.put("count", parseLong(hash.get("count")));
        out.put("peak", parseLong(hash.get("peak")));
        out.put("updatedAt", parseLong(hash.get("updatedAt")));
        return out;
    }

    private Map<String, Object> healthSummary(String id) {
        Map<String, Object> s = new LinkedHashMap<>();
        Optional<JsonNode> latest = health == null ? Optional.empty() : health.latest(id);
        if (latest.isEmpty()) {
            s.put("status", "unknown");
            return s;
        }
        JsonNode w = latest.get();
        List<String> warnings = new ArrayList<>();
        w.path("warnings").forEach(n -> warnings.add(n.asText()));
        s.put("status", warnings.isEmpty() ? "ok" : "warning");
        s.put("warnings", warnings);
        s.put("at", iso(w.path("at").asLong()));
        return s;
    }

    // ---- helpers

    private StreamInfo stream(String id) {
        if (!Names.isStreamId(id)) throw new ApiException(404, "unknown stream");
        return registry.get(id).orElseThrow(() -> new ApiException(404, "unknown stream"));
    }

    private void authorize(String id, FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (token == null || !registry.checkBroadcasterToken(id, token)) throw new ApiException(401, "missing or wrong broadcaster token");
    }

    private static JsonNode body(FullHttpRequest request) {
        String text = request.content().toString(StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "body is not valid JSON");
        }
        if (node == null || !node.isObject()) throw new ApiException(400, "body must be a JSON object");
        return node;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) throw new ApiException(400, "missing field " + field);
        if (!value.isTextual()) throw new ApiException(400, field + " must be a string");
        return value.asText();
    }

    private static void require(HttpMethod actual, HttpMethod expected) {
        boolean ok = actual.equals(expected) || (expected.equals(HttpMethod.GET) && actual.equals(HttpMethod.HEAD));
        if (!ok) throw new ApiException(405, "method not allowed");
    }

    private static boolean only(FullHttpRequest request, HttpMethod method) {
        try {
            require(request.method(), method);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    private String ingestUrl(String key) {
        return config.ingestServer() + "/" + key;
    }

    private static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Resource json(int status, Object body) {
        return new Resource(status, Json.toBytes(body), Resource.JSON_TYPE, NO_STORE, null, false);
    }

    static Resource error(int status, String message) {
        return new Resource(status, Json.toBytes(Map.of("error", message)), Resource.JSON_TYPE, NO_STORE, null, false);
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = StreamsApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
