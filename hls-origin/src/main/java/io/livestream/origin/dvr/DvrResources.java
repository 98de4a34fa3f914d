package io.livestream.origin.dvr;

import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import io.livestream.origin.http.RouteTable;
import io.livestream.origin.store.StoredSegment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recordings over HTTP, all on the blocking executor (they read the disk):
 * <pre>
 * /vod/{sessionId}/master.m3u8          /vod/{sessionId}/{rendition}/index.m3u8     /vod/{sessionId}/{rendition}/{seq}.ts
 * /dvr/{streamId}/master.m3u8           /dvr/{streamId}/{rendition}/index.m3u8      (the newest session, last DVR window)
 * </pre>
 */
public final class DvrResources {
    private static final String SEGMENT_CACHE = "public, max-age=86400, immutable";

    private final RecordingStore store;

    public DvrResources(RecordingStore store) {
        this.store = store;
    }

    /** The store these resources read, for the API's recording deletion. */
    public RecordingStore store() {
        return store;
    }

    public RouteTable routes() {
        return RouteTable.builder()
                .blocking(Route.VodMaster.class, (r, request) -> vodMaster(r))
                .blocking(Route.VodMedia.class, (r, request) -> vodMedia(r))
                .blocking(Route.VodSegment.class, (r, request) -> vodSegment(r))
                .blocking(Route.DvrMaster.class, (r, request) -> dvrMaster(r))
                .blocking(Route.DvrMedia.class, (r, request) -> dvrMedia(r))
                .build();
    }

    private SessionManifest session(String sessionId) {
        return store.session(sessionId).orElseThrow(() -> new HttpError(404, "no such recording"));
    }

    private Resource vodMaster(Route.VodMaster r) {
        return playlist(master(session(r.sessionId())), "public, max-age=10");
    }

    private Resource vodMedia(Route.VodMedia r) {
        SessionManifest m = session(r.sessionId());
        if (!m.renditions().containsKey(r.rendition())) throw new HttpError(404, "unknown rendition");
        boolean complete = store.isComplete(m);
        return playlist(RecordingPlaylists.session(store.segments(m.sessionId(), r.rendition()), complete, seq -> seq + ".ts"),
                complete ? "public, max-age=3600" : "public, max-age=1");
    }

    private Resource vodSegment(Route.VodSegment r) {
        SessionManifest m = session(r.sessionId());
        if (!m.renditions().containsKey(r.rendition())) throw new HttpError(404, "unknown rendition");
        Optional<Path> file = store.segmentFile(m.sessionId(), r.rendition(), r.sequence());
        if (file.isEmpty()) throw new HttpError(404, "no such segment");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.get());
        } catch (IOException e) {
            throw new HttpError(404, "recording unreadable");
        }
        return new Resource(200, bytes, Resource.SEGMENT_TYPE, SEGMENT_CACHE, StoredSegment.etagOf(bytes), true);
    }

    private SessionManifest latest(String streamId) {
        return store.latestSession(streamId).orElseThrow(() -> new HttpError(404, "no recording of this stream"));
    }

    private Resource dvrMaster(Route.DvrMaster r) {
        return playlist(master(latest(r.streamId())), "public, max-age=2");
    }

    private Resource dvrMedia(Route.DvrMedia r) {
        SessionManifest m = latest(r.streamId());
        if (!m.renditions().containsKey(r.rendition())) throw new HttpError(404, "no such resource");
        String prefix = "/vod/" + m.sessionId() + "/" + r.rendition() + "/";
        String text = RecordingPlaylists.dvrWindow(store.segments(m.sessionId(), r.rendition()), store.config().dvrWindow().toSeconds(),
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
