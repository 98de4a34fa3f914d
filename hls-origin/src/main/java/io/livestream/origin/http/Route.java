package io.livestream.origin.http;

import io.livestream.common.media.MediaRecord.Container;

/**
 * What a request path asks for: every route the origin answers, produced by {@link OriginRouter} and nothing else,
 * pure data. Each route names the methods it takes ({@link #methods()}); the handler for it is in {@link RouteTable}.
 */
public sealed interface Route {
    /** The methods a route takes; HEAD goes with GET, OPTIONS (CORS preflight) with every route. */
    enum Methods {
        GET("GET, HEAD, OPTIONS"), POST("POST, OPTIONS"), GET_POST("GET, HEAD, POST, OPTIONS"), DELETE("DELETE, OPTIONS"),
        GET_DELETE("GET, HEAD, DELETE, OPTIONS");

        public final String allowHeader;

        Methods(String allowHeader) { this.allowHeader = allowHeader; }

        public boolean allows(String method) {
            boolean get = method.equals("GET") || method.equals("HEAD");
            return switch (this) {
                case GET -> get;
                case POST -> method.equals("POST");
                case GET_POST -> get || method.equals("POST");
                case DELETE -> method.equals("DELETE");
                case GET_DELETE -> get || method.equals("DELETE");
            };
        }
    }

    default Methods methods() {
        return Methods.GET;
    }

    /** Where a master playlist is served decides how its rendition URIs are named (relative, so they resolve there). */
    enum Flavor {
        LIVE("index.m3u8"), API("playlist.m3u8");

        final String mediaPlaylistName;

        Flavor(String mediaPlaylistName) { this.mediaPlaylistName = mediaPlaylistName; }

        public String renditionUri(String rendition) { return rendition + "/" + mediaPlaylistName; }
    }

    // ---- health and the contract

    record Health() implements Route {}

    record Ready() implements Route {}

    record OpenApi() implements Route {}

    /** {@code /metrics}: Prometheus text. */
    record Metrics() implements Route {}

    // ---- live HLS: CMAF (fMP4) by default, MPEG-TS as the legacy output under .../ts/

    /** The default output is fMP4; {@code .../ts/...} playlists and {@code .ts} files are the MPEG-TS one. */
    record Master(String streamId, Flavor flavor, Container container) implements Route {
        public Master(String streamId, Flavor flavor) { this(streamId, flavor, Container.FMP4); }
    }

    record Media(String streamId, String rendition, Container container) implements Route {
        public Media(String streamId, String rendition) { this(streamId, rendition, Container.FMP4); }
    }

    /** {@code {sequence}.m4s} (fMP4) or {@code {sequence}.ts}. */
    record Segment(String streamId, String rendition, long sequence, Container container) implements Route {
        public Segment(String streamId, String rendition, long sequence) { this(streamId, rendition, sequence, Container.FMP4); }
    }

    /** An LL-HLS part: {@code {msn}.{index}.m4s} (a CMAF chunk) or {@code {msn}.{index}.ts}. */
    record Part(String streamId, String rendition, long msn, int index, Container container) implements Route {
        public Part(String streamId, String rendition, long msn, int index) { this(streamId, rendition, msn, index, Container.FMP4); }
    }

    /** An fMP4 initialisation segment (EXT-X-MAP): {@code init-{id}.mp4}, the id derived from its content. */
    record Init(String streamId, String rendition, String id) implements Route {}

    // ---- live LL-DASH of the same fMP4 output, one track per Representation

    /** The two tracks of a rendition's muxed fMP4, served apart for DASH: {@code .../dash/{r}/video|audio/...}. */
    enum Track {
        VIDEO("video"), AUDIO("audio");

        public final String pathName;

        Track(String pathName) { this.pathName = pathName; }
    }

    /** {@code /live/{id}/manifest.mpd}: the dynamic MPD. */
    record DashManifest(String streamId) implements Route {}

    /** {@code .../dash/{r}/{track}/init-{id}.mp4}: one track's init, the id that of the rendition's muxed init. */
    record DashInit(String streamId, String rendition, Track track, String id) implements Route {}

    /** {@code .../dash/{r}/{track}/{number}.m4s}: one track of segment {@code number}, sent as it grows while it is written. */
    record DashSegment(String streamId, String rendition, Track track, long number) implements Route {}

    /** {@code /time}: the origin's clock as ISO 8601 (the MPD's UTCTiming). */
    record Time() implements Route {}

    // ---- recordings: the newest session's DVR window, and a whole session (VOD)

    record DvrMaster(String streamId) implements Route {}

    record DvrMedia(String streamId, String rendition) implements Route {}

    record VodMaster(String sessionId) implements Route {}

    record VodMedia(String sessionId, String rendition) implements Route {}

    record VodSegment(String sessionId, String rendition, long sequence) implements Route {}

    // ---- the control API

    /** {@code /api/streams}: GET a page, POST creates. */
    record Streams() implements Route {
        @Override public Methods methods() { return Methods.GET_POST; }
    }

    record LiveStreams() implements Route {}

    /** {@code /api/streams/{id}}: GET reads it, DELETE (operator) removes it. */
    record Stream(String streamId) implements Route {
        @Override public Methods methods() { return Methods.GET_DELETE; }
    }

    record StartStream(String streamId) implements Route {
        @Override public Methods methods() { return Methods.POST; }
    }

    record EndStream(String streamId) implements Route {
        @Override public Methods methods() { return Methods.POST; }
    }

    record RotateKey(String streamId) implements Route {
        @Override public Methods methods() { return Methods.POST; }
    }

    record StreamHealth(String streamId) implements Route {}

    record Recordings(String streamId) implements Route {}

    record Viewers(String streamId) implements Route {}

    /** {@code /api/recordings/{sessionId}}: DELETE (operator) removes a recorded session's files. */
    record Recording(String sessionId) implements Route {
        @Override public Methods methods() { return Methods.DELETE; }
    }

    // ---- the chat gateway's HTTP routes, forwarded to it

    /** {@code /api/streams/{id}/chat}: GET history, POST a message. */
    record Chat(String streamId) implements Route {
        @Override public Methods methods() { return Methods.GET_POST; }
    }

    record ChatToken() implements Route {
        @Override public Methods methods() { return Methods.POST; }
    }

    record Heartbeat(String streamId) implements Route {
        @Override public Methods methods() { return Methods.POST; }
    }

    // ---- pages

    /** {@code /}, {@code /console}, {@code /watch/{id}} and {@code /static/{file}}: a file of the web pages. */
    record Page(String file) implements Route {}

    record WebConfig() implements Route {}

    // ---- refusals

    record NotFound(String reason) implements Route {}

    record BadRequest(String reason) implements Route {}
}
