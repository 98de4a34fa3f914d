package io.livestream.origin.http;

/**
 * HTTP settings of the origin.
 *
 * @param port 0 picks a free port ({@link OriginServer#start()} returns it)
 * @param endedPlaylistMaxAgeSec Cache-Control max-age of a playlist with EXT-X-ENDLIST; kept modest because a new
 *     session of the same stream reopens it
 * @param idleTimeoutSec idle keep-alive connections are closed after this
 */
public record OriginConfig(String host, int port, int masterMaxAgeSec, int endedPlaylistMaxAgeSec, int idleTimeoutSec) {
    public static final OriginConfig DEFAULTS = new OriginConfig("0.0.0.0", 8080, 2, 30, 60);

    public OriginConfig withPort(int newPort) {
        return new OriginConfig(host, newPort, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec);
    }

    public OriginConfig withHost(String newHost) {
        return new OriginConfig(newHost, port, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec);
    }
}
