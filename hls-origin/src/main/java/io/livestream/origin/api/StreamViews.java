package io.livestream.origin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.registry.StreamInfo;
import io.livestream.origin.store.RenditionInfo;
import io.livestream.origin.store.SegmentStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How a stream looks in the API (never its key), from what the caller already read: no I/O of its own. */
final class StreamViews {
    private final ApiConfig config;
    private final SegmentStore segments;
    private final HealthHistory health;

    /** @param health null when the origin does not read {@code live.stream-health} */
    StreamViews(ApiConfig config, SegmentStore segments, HealthHistory health) {
        this.config = config;
        this.segments = segments;
        this.health = health;
    }

    Map<String, Object> view(StreamInfo info, boolean reconnecting, long viewerCount) {
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
        if (info.isLive()) v.put("reconnecting", reconnecting);
        v.put("ingestServer", config.ingestServer());
        v.put("playbackUrl", config.httpBase() + "/live/" + info.id() + "/master.m3u8");
        v.put("dvrUrl", config.httpBase() + "/dvr/" + info.id() + "/master.m3u8");
        v.put("viewerCount", viewerCount);
        v.put("health", healthSummary(info.id()));
        v.put("renditions", renditions(info.id()));
        return v;
    }

    String ingestUrl(String key) {
        return config.ingestServer() + "/" + key;
    }

    String httpBase() {
        return config.httpBase();
    }

    Map<String, Object> health(String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("streamId", id);
        out.put("summary", healthSummary(id));
        out.put("latest", health == null ? null : health.latest(id).orElse(null));
        out.put("history", health == null ? List.of() : health.recent(id));
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

    private List<Map<String, Object>> renditions(String id) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RenditionInfo r : segments.renditions(id)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.rendition());
            m.put("width", r.width());
            m.put("height", r.height());
            m.put("frameRate", r.frameRate());
            m.put("bandwidth", r.bandwidth());
            m.put("codecs", r.codecs());
            // GOPs the transcoder skipped to stay near live (its overload policy) or lost in a failover
            m.put("skippedSegments", r.skippedSegments());
            out.add(m);
        }
        return out;
    }

    static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
