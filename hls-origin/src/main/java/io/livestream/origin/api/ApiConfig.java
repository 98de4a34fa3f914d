package io.livestream.origin.api;

import io.livestream.common.registry.StreamRegistry;

/**
 * The control API's settings.
 *
 * @param redisUri the registry's Redis, e.g. redis://localhost:6379
 * @param keyPrefix the registry's key prefix (ls: unless several platforms share one Redis)
 * @param publicHost host name viewers and broadcasters use, for the ingest and playback URLs
 * @param rtmpPort public RTMP port, for the ingest URL
 * @param httpPort public origin port, for the playback URL
 * @param rtmpApp the RTMP application publishers use
 * @param reconnectGraceMs how long a dropped publisher may take to come back (the edge and the API must agree)
 * @param maxStreamsPerBroadcaster streams a broadcaster may have (create answers 429 beyond); 0 for no limit
 */
public record ApiConfig(String redisUri, String keyPrefix, String publicHost, int rtmpPort, int httpPort, String rtmpApp,
                        long reconnectGraceMs, int maxStreamsPerBroadcaster) {
    public ApiConfig(String redisUri, String keyPrefix, String publicHost, int rtmpPort, int httpPort, String rtmpApp,
                     long reconnectGraceMs) {
        this(redisUri, keyPrefix, publicHost, rtmpPort, httpPort, rtmpApp, reconnectGraceMs, 0);
    }

    public static ApiConfig defaults(String redisUri) {
        return new ApiConfig(redisUri, StreamRegistry.DEFAULT_KEY_PREFIX, "localhost", 1935, 8080, "live",
                StreamRegistry.DEFAULT_RECONNECT_GRACE_MS, 0);
    }

    public ApiConfig withMaxStreamsPerBroadcaster(int max) {
        if (max < 0) throw new IllegalArgumentException("max streams per broadcaster must be 0 (no limit) or more");
        return new ApiConfig(redisUri, keyPrefix, publicHost, rtmpPort, httpPort, rtmpApp, reconnectGraceMs, max);
    }

    public ApiConfig withPublicHost(String host, int newRtmpPort, int newHttpPort) {
        return new ApiConfig(redisUri, keyPrefix, host, newRtmpPort, newHttpPort, rtmpApp, reconnectGraceMs, maxStreamsPerBroadcaster);
    }

    public ApiConfig withKeyPrefix(String prefix) {
        return new ApiConfig(redisUri, prefix, publicHost, rtmpPort, httpPort, rtmpApp, reconnectGraceMs, maxStreamsPerBroadcaster);
    }

    public ApiConfig withReconnectGraceMs(long ms) {
        return new ApiConfig(redisUri, keyPrefix, publicHost, rtmpPort, httpPort, rtmpApp, ms, maxStreamsPerBroadcaster);
    }

    String ingestServer() {
        return "rtmp://" + publicHost + ":" + rtmpPort + "/" + rtmpApp;
    }

    String httpBase() {
        return "http://" + publicHost + ":" + httpPort;
    }
}
