package io.livestream.origin.http;

import io.livestream.common.json.Json;
import java.util.Map;

/**
 * A response body with its metadata, or an error, decided by a route's handler; written by {@link OriginHttpHandler}.
 *
 * @param status 200 for content, otherwise the status (errors have a body {@code {"error": ...}})
 * @param rangeable whether Range requests are honoured (segments)
 * @param retryAfterSec the Retry-After header, or null
 * @param liveMaxAgeSec for a live playlist (it changes at the stream's next record), its max-age, which a shared nginx
 *        cache is then told as an absolute expiry (X-Accel-Expires); 0 for everything else
 */
public record Resource(int status, byte[] body, String contentType, String cacheControl, String etag, boolean rangeable,
                       Integer retryAfterSec, int liveMaxAgeSec) {
    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String SEGMENT_TYPE = "video/mp2t";
    /** fMP4 init segments, segments and CMAF chunks (what Apple's and the DASH-IF's examples serve). */
    public static final String MP4_TYPE = "video/mp4";
    public static final String JSON_TYPE = "application/json";
    /** API answers are per caller and change at once: never cached. */
    public static final String NO_STORE = "no-store";

    public Resource(int status, byte[] body, String contentType, String cacheControl, String etag, boolean rangeable) {
        this(status, body, contentType, cacheControl, etag, rangeable, null, 0);
    }

    public Resource(int status, byte[] body, String contentType, String cacheControl, String etag, boolean rangeable,
                    Integer retryAfterSec) {
        this(status, body, contentType, cacheControl, etag, rangeable, retryAfterSec, 0);
    }

    /**
     * A live playlist: {@code Cache-Control: public, max-age=N}, and for nginx the same bound as an absolute time.
     * nginx counts a cached response's validity from the start of the second it stored it in, so max-age=1 kept a live
     * playlist 1-2 s (1.5 s on average, one and a half 1 s segments) at the cache; expiring at the end of the second
     * (for N = 1) keeps it at most N s, 0.5 s on average, still at most one origin request a second per cache node.
     */
    public static Resource livePlaylist(byte[] body, String etag, int maxAgeSec) {
        return new Resource(200, body, PLAYLIST_TYPE, "public, max-age=" + maxAgeSec, etag, false, null, maxAgeSec);
    }

    /** X-Accel-Expires for a response made at {@code nowMs}: the end of the second N - 1 s after it (nginx's @ form). */
    public static String sharedCacheExpiry(long nowMs, int maxAgeSec) {
        return "@" + (nowMs / 1000 + maxAgeSec - 1);
    }

    /** An API answer: {@code body} as JSON, not cached. */
    public static Resource json(int status, Object body) {
        return new Resource(status, Json.toBytes(body), JSON_TYPE, NO_STORE, null, false);
    }

    /** {@code {"error": message}} with the status. */
    public static Resource error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    /** 503 with Retry-After: the origin is overloaded or a dependency is down; the client should come back soon. */
    public static Resource unavailable(String message, int retryAfterSec) {
        return new Resource(503, Json.toBytes(Map.of("error", message)), JSON_TYPE, NO_STORE, null, false, retryAfterSec);
    }
}
