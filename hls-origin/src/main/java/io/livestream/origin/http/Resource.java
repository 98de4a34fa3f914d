package io.livestream.origin.http;

import io.livestream.common.json.Json;
import java.util.Map;

/**
 * A response body with its metadata, or an error, decided by a route's handler; written by {@link OriginHttpHandler}.
 *
 * @param status 200 for content, otherwise the status (errors have a body {@code {"error": ...}})
 * @param rangeable whether Range requests are honoured (segments)
 * @param retryAfterSec the Retry-After header, or null
 */
public record Resource(int status, byte[] body, String contentType, String cacheControl, String etag, boolean rangeable,
                       Integer retryAfterSec) {
    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String SEGMENT_TYPE = "video/mp2t";
    /** fMP4 init segments, segments and CMAF chunks (what Apple's and the DASH-IF's examples serve). */
    public static final String MP4_TYPE = "video/mp4";
    public static final String JSON_TYPE = "application/json";
    /** API answers are per caller and change at once: never cached. */
    public static final String NO_STORE = "no-store";

    public Resource(int status, byte[] body, String contentType, String cacheControl, String etag, boolean rangeable) {
        this(status, body, contentType, cacheControl, etag, rangeable, null);
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
