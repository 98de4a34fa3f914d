package io.livestream.origin.dvr;

import io.livestream.common.json.Json;
import io.livestream.origin.http.HttpExtension;
import io.livestream.origin.http.Resource;
import io.livestream.origin.store.Names;
import io.livestream.origin.store.StoredSegment;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recordings over HTTP:
 * <pre>
 * /vod/{sessionId}/master.m3u8          /vod/{sessionId}/{rendition}/index.m3u8     /vod/{sessionId}/{rendition}/{seq}.ts
 * /dvr/{streamId}/master.m3u8           /dvr/{streamId}/{rendition}/index.m3u8      (the newest session, last DVR window)
 * </pre>
 */
public final class DvrResources implements HttpExtension {
    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{1,18}\\.ts");
    private static final String SEGMENT_CACHE = "public, max-age=86400, immutable";

    private final RecordingStore store;

    public DvrResources(RecordingStore store) {
        this.store = store;
    }

    @Override
    public Resource handle(FullHttpRequest request) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean vod = path.startsWith("/vod/");
        if (!vod && !path.startsWith("/dvr/")) return null;
        if (request.method().equals(HttpMethod.OPTIONS)) return null; // CORS preflight: the origin's handler answers
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) return error(405, "method not allowed");
        String[] p = path.substring(5).split("/", -1);
        if (p.length < 2 || p.length > 3 || !Names.isStreamId(p[0])) return error(404, "no such recording");
        try {
            return vod ? vod(p) : dvr(p);
        } catch (IOException e) {
            return error(404, "recording unreadable");
        }
    }

    private Resource vod(String[] p) throws IOException {
        Optional<SessionManifest> found = store.session(p[0]);
        if (found.isEmpty()) return error(404, "no such recording");
        SessionManifest m = found.get();
        if (p.length == 2) return p[1].equals("master.m3u8") ? playlist(master(m), "public, max-age=10") : error(404, "no such resource");
        String rendition = p[1];
        if (!m.renditions().containsKey(rendition)) return error(404, "unknown rendition");
        if (p[2].equals("index.m3u8")) {
            boolean complete = store.isComplete(m);
            return playlist(RecordingPlaylists.session(store.segments(m.sessionId(), rendition), complete, seq -> seq + ".ts"),
                    complete ? "public, max-age=3600" : "public, max-age=1");
        }
        if (!SEGMENT_FILE.matcher(p[2]).matches()) return error(404, "no such resource");
        Optional<Path> file = store.segmentFile(m.sessionId(), rendition, Long.parseLong(p[2].substring(0, p[2].length() - 3)));
        if (file.isEmpty()) return error(404, "no such segment");
        byte[] bytes = Files.readAllBytes(file.get());
        return new Resource(200, bytes, Resource.SEGMENT_TYPE, SEGMENT_CACHE, StoredSegment.etagOf(bytes), true);
    }

    private Resource dvr(String[] p) {
        Optional<SessionManifest> found = store.latestSession(p[0]);
        if (found.isEmpty()) return error(404, "no recording of this stream");
        SessionManifest m = found.get();
        if (p.length == 2) return p[1].equals("master.m3u8") ? playlist(master(m), "public, max-age=2") : error(404, "no such resource");
        String rendition = p[1];
        if (!m.renditions().containsKey(rendition) || !p[2].equals("index.m3u8")) return error(404, "no such resource");
        String prefix = "/vod/" + m.sessionId() + "/" + rendition + "/";
        String text = RecordingPlaylists.dvrWindow(store.segments(m.sessionId(), rendition), store.config().dvrWindow().toSeconds(),
                store.isComplete(m), seq -> prefix + seq + ".ts");
        return playlist(text, "public, max-age=1");
    }

    private String master(SessionManifest m) {
        return RecordingPlaylists.master(m, rendition -> peakBandwidth(m.sessionId(), rendition));
    }

    /** BANDWIDTH must be at least every segment's bitrate (RFC 8216 4.3.4.2): measured from the files. */
    private long peakBandwidth(String sessionId, String rendition) {
        long peak = 0;
        for (RecordedSegment s : store.segments(sessionId, rendition)) {
            if (s.durationSec() <= 0) continue;
            Optional<Path> file = store.segmentFile(sessionId, rendition, s.sequence());
            if (file.isEmpty()) continue;
            try {
                peak = Math.max(peak, Math.round(8.0 * Files.size(file.get()) / s.durationSec()));
            } catch (IOException e) {
                // vanished under a retention sweep
            }
        }
        return peak;
    }

    private static Resource playlist(String text, String cacheControl) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return new Resource(200, body, Resource.PLAYLIST_TYPE, cacheControl, StoredSegment.etagOf(body), false);
    }

    static Resource error(int status, String message) {
        return new Resource(status, Json.toBytes(Map.of("error", message)), Resource.JSON_TYPE, "no-cache", null, false);
    }

    /** The recordings of a stream as the API lists them. */
    public List<Map<String, Object>> recordingsOf(String streamId, String publicBaseUrl) {
        return store.sessionsOf(streamId).stream().map(m -> {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("sessionId", m.sessionId());
            r.put("startedAt", java.time.Instant.ofEpochMilli(m.startedAt()).toString());
            r.put("durationSec", Math.round(store.durationSec(m) * 1000) / 1000.0);
            r.put("complete", store.isComplete(m));
            r.put("renditions", List.copyOf(m.renditions().keySet()));
            r.put("playbackUrl", publicBaseUrl + "/vod/" + m.sessionId() + "/master.m3u8");
            return r;
        }).toList();
    }
}
