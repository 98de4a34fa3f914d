package io.livestream.origin.http;

import io.livestream.netguard.ConnectionLimits;

/**
 * HTTP settings of the origin.
 *
 * @param port 0 picks a free port ({@link OriginServer#start()} returns it)
 * @param endedPlaylistMaxAgeSec Cache-Control max-age of a playlist with EXT-X-ENDLIST; kept modest because a new
 *     session of the same stream reopens it
 * @param idleTimeoutSec idle keep-alive connections are closed after this
 * @param eventLoopThreads 0 for Netty's default (twice the cores)
 * @param blockingThreads, blockingQueue the executor of Redis and disk work; past the queue, requests get 503
 * @param connections open connections per remote address and in total; over them a new connection is closed at once
 *     (behind nginx every client is nginx: raise the per-address one there)
 * @param requestTimeoutSec a request must arrive whole this long after its first byte (slowloris)
 */
public record OriginConfig(String host, int port, int masterMaxAgeSec, int endedPlaylistMaxAgeSec, int idleTimeoutSec,
                           int eventLoopThreads, int blockingThreads, int blockingQueue, ConnectionLimits connections,
                           int requestTimeoutSec) {
    public static final ConnectionLimits DEFAULT_CONNECTION_LIMITS = new ConnectionLimits(1_000, 10_000);
    public static final OriginConfig DEFAULTS = new OriginConfig("0.0.0.0", 8080, 2, 30, 60, 0, 16, 512, DEFAULT_CONNECTION_LIMITS, 10);

    public OriginConfig withPort(int newPort) {
        return new OriginConfig(host, newPort, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec, eventLoopThreads, blockingThreads, blockingQueue, connections, requestTimeoutSec);
    }

    public OriginConfig withHost(String newHost) {
        return new OriginConfig(newHost, port, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec, eventLoopThreads, blockingThreads, blockingQueue, connections, requestTimeoutSec);
    }

    public OriginConfig withEventLoopThreads(int threads) {
        return new OriginConfig(host, port, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec, threads, blockingThreads, blockingQueue, connections, requestTimeoutSec);
    }

    public OriginConfig withBlockingExecutor(int threads, int queue) {
        return new OriginConfig(host, port, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec, eventLoopThreads, threads, queue, connections, requestTimeoutSec);
    }

    public OriginConfig withConnectionLimits(ConnectionLimits limits) {
        return new OriginConfig(host, port, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleTimeoutSec, eventLoopThreads, blockingThreads, blockingQueue, limits, requestTimeoutSec);
    }

    /** The keep-alive idle timeout and the whole-request deadline (tests use short ones). */
    public OriginConfig withTimeouts(int idleSec, int requestSec) {
        return new OriginConfig(host, port, masterMaxAgeSec, endedPlaylistMaxAgeSec, idleSec, eventLoopThreads, blockingThreads, blockingQueue, connections, requestSec);
    }
}
