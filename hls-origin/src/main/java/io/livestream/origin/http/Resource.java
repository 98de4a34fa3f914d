package io.livestream.origin.http;

/**
 * A response body with its metadata, or an error, decided from a route and the store; written by {@link OriginHttpHandler}.
 *
 * @param status 200 for content, otherwise an error status whose body is {@code {"error": ...}}
 * @param rangeable whether Range requests are honoured (segments)
 */
public record Resource(int status, byte[] body, String contentType, String cacheControl, String etag, boolean rangeable) {
    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String SEGMENT_TYPE = "video/mp2t";
    public static final String JSON_TYPE = "application/json";
}
