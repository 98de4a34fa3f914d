package io.livestream.origin.http;

import io.livestream.common.json.Json;
import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.playlist.MasterPlaylist;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.PlaylistWriter;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoredInit;
import io.livestream.origin.store.StoredPart;
import io.livestream.origin.store.StoredSegment;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live HLS routes and {@code /health}: store look-ups, playlist rendering and cache policy. Memory only, so
 * they run on the event loop. No Netty I/O.
 */
public final class OriginResources {
    static final String SEGMENT_CACHE = "public, max-age=86400, immutable";
    static final String NO_CACHE = "no-cache";

    /** Past this many cached renders (streams x renditions x variants) the cache starts over: old streams go. */
    private static final int MAX_CACHED_RENDERS = 10_000;

    private final SegmentStore store;
    private final OriginConfig config;
    /**
     * The last render of each playlist with the model it came from: a playlist changes about once a part, while
     * players and CDN edges ask many times in between, so an unchanged model is answered without rendering again.
     */
    private final Map<String, Rendered> renders = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param version the stream's {@link SegmentStore#version} the model was read at (-1 where not used) */
    private record Rendered(Object model, long version, Resource resource) {}

    public OriginResources(SegmentStore store, OriginConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The routes this class answers, all on the event loop. */
    public RouteTable routes() {
        return RouteTable.builder()
                .onEventLoop(Route.Health.class, (r, request) -> health())
                .onEventLoop(Route.Master.class, (r, request) -> master(r))
                .onEventLoop(Route.Media.class, (r, request) -> media(r))
                .onEventLoop(Route.Segment.class, (r, request) -> segment(r))
                .onEventLoop(Route.Part.class, (r, request) -> part(r))
                .onEventLoop(Route.Init.class, (r, request) -> init(r))
                .build();
    }

    /** Whether the store is still reading its look-back (live HLS is not served meanwhile). */
    boolean warmingUp() {
        return store.warmingUp();
    }

    /** A part's answer now (for held LL-HLS requests). */
    Resource resolve(Route.Part route) {
        return part(route);
    }

    private Resource health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("streams", store.streamIds().size());
        return new Resource(200, Json.toBytes(body), Resource.JSON_TYPE, NO_CACHE, null, false);
    }

    private Resource master(Route.Master m) {
        Optional<MasterPlaylist> playlist = store.masterPlaylist(m.streamId(), m.container(), m.flavor()::renditionUri);
        if (playlist.isEmpty()) return error(404, "unknown stream");
        return cached("master/" + m.streamId() + "/" + m.flavor() + "/" + m.container(), playlist.get(), -1,
                () -> playlist(PlaylistWriter.write(playlist.get()), "public, max-age=" + config.masterMaxAgeSec()));
    }

    private Resource media(Route.Media m) {
        return mediaPlaylist(m, false);
    }

    /** The media playlist as it is now; {@code deltaUpdate} for _HLS_skip=YES. */
    Resource mediaPlaylist(Route.Media m, boolean deltaUpdate) {
        String key = "media/" + m.streamId() + "/" + m.rendition() + "/" + m.container() + "/" + deltaUpdate;
        // Between two records of the stream nothing of it changes: the last render is the answer, without building
        // the model to compare (that was most of what an unchanged playlist cost).
        long version = store.version(m.streamId());
        Rendered last = renders.get(key);
        if (last != null && version >= 0 && last.version() == version) return last.resource();
        Optional<MediaPlaylist> found = store.mediaPlaylist(m.streamId(), m.container(), m.rendition());
        if (found.isEmpty()) return error(404, store.hasStream(m.streamId()) ? "unknown rendition" : "unknown stream");
        MediaPlaylist playlist = found.get();
        // A live playlist changes about every target duration; half of it keeps CDN copies at most half a segment behind.
        int maxAge = playlist.ended() ? config.endedPlaylistMaxAgeSec() : Math.max(1, playlist.targetDurationSec() / 2);
        return cached(key, playlist, version, () -> {
            byte[] body = PlaylistWriter.write(playlist, deltaUpdate).getBytes(StandardCharsets.UTF_8);
            return playlist.ended() ? playlist(body, "public, max-age=" + maxAge) : Resource.livePlaylist(body, StoredSegment.etagOf(body), maxAge);
        });
    }

    private Resource cached(String key, Object model, long version, java.util.function.Supplier<Resource> render) {
        Rendered last = renders.get(key);
        if (last != null && last.model().equals(model)) {
            if (last.version() != version) renders.put(key, new Rendered(model, version, last.resource()));
            return last.resource();
        }
        Resource resource = render.get();
        if (renders.size() >= MAX_CACHED_RENDERS) renders.clear();
        renders.put(key, new Rendered(model, version, resource));
        return resource;
    }

    private Resource part(Route.Part p) {
        Optional<StoredPart> part = store.part(p.streamId(), p.container(), p.rendition(), p.msn(), p.index());
        if (part.isPresent()) {
            StoredPart found = part.get();
            return new Resource(200, found.bytes(), mediaType(p.container()), SEGMENT_CACHE, found.etag(), true);
        }
        if (!store.hasStream(p.streamId())) return error(404, "unknown stream");
        if (!store.hasRendition(p.streamId(), p.rendition())) return error(404, "unknown rendition");
        return error(404, "part not available");
    }

    SegmentStore store() {
        return store;
    }

    private Resource segment(Route.Segment s) {
        Optional<StoredSegment> segment = store.segment(s.streamId(), s.container(), s.rendition(), s.sequence());
        if (segment.isPresent()) {
            StoredSegment seg = segment.get();
            return new Resource(200, seg.bytes(), mediaType(s.container()), SEGMENT_CACHE, seg.etag(), true);
        }
        if (!store.hasStream(s.streamId())) return error(404, "unknown stream");
        if (!store.hasRendition(s.streamId(), s.rendition())) return error(404, "unknown rendition");
        return error(404, "segment not in window");
    }

    /** An init segment never changes under its name (the name is its content's checksum), so it caches like a segment. */
    private Resource init(Route.Init i) {
        Optional<StoredInit> init = store.init(i.streamId(), i.rendition(), i.id());
        if (init.isPresent()) return new Resource(200, init.get().bytes(), Resource.MP4_TYPE, SEGMENT_CACHE, init.get().etag(), true);
        if (!store.hasStream(i.streamId())) return error(404, "unknown stream");
        return error(404, "init segment not in window");
    }

    private static String mediaType(Container container) {
        return container == Container.FMP4 ? Resource.MP4_TYPE : Resource.SEGMENT_TYPE;
    }

    private static Resource playlist(String text, String cacheControl) {
        return playlist(text.getBytes(StandardCharsets.UTF_8), cacheControl);
    }

    private static Resource playlist(byte[] body, String cacheControl) {
        return new Resource(200, body, Resource.PLAYLIST_TYPE, cacheControl, StoredSegment.etagOf(body), false);
    }

    static Resource error(int status, String message) {
        return Resource.error(status, message);
    }
}
