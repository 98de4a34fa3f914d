package io.livestream.edge.server;

/**
 * Where the edge listens and the limits that keep one client from hurting the others.
 *
 * @param port RTMP port, 0 for any free one
 * @param metricsPort Prometheus /metrics port, 0 for any free one, -1 for none
 * @param maxMessageSize largest message a client may announce (keyframes of high-bitrate streams are a few MiB)
 * @param maxChunkSize largest Set Chunk Size accepted (the protocol allows up to 2^31-1)
 * @param maxChunkStreams chunk streams one connection may open (clients use a handful)
 * @param maxConnectionsPerIp open connections per remote address
 * @param maxConnections open connections in total
 * @param maxInflightBytesPerPublisher bytes handed to the sink but not yet stored, per publisher, before dropping
 * @param outboundChunkSize the chunk size this side announces and sends with
 * @param readTimeoutSeconds a connection silent for this long is closed
 * @param handshakeTimeoutSeconds the RTMP handshake (C0+C1 ... C2) must be done this long after the connection opens
 *     (a client that stops half-way, or sends a byte every few seconds, is closed then)
 * @param publishTimeoutSeconds a connection must be publishing this long after it opened (OBS and ffmpeg take well
 *     under a second); the media timeout takes over from there
 */
public record RtmpEdgeConfig(
        String host,
        int port,
        int metricsPort,
        int maxMessageSize,
        int maxChunkSize,
        int maxChunkStreams,
        int maxConnectionsPerIp,
        int maxConnections,
        long maxInflightBytesPerPublisher,
        int outboundChunkSize,
        int readTimeoutSeconds,
        int handshakeTimeoutSeconds,
        int publishTimeoutSeconds) {

    public static final int DEFAULT_PORT = 1935;
    public static final int DEFAULT_METRICS_PORT = 9935;

    public static RtmpEdgeConfig defaults() {
        return new RtmpEdgeConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_METRICS_PORT, 16 * 1024 * 1024, 16 * 1024 * 1024, 64,
                16, 1000, 32L * 1024 * 1024, 4096, 30, 10, 30);
    }

    public RtmpEdgeConfig withPorts(int port, int metricsPort) {
        return new RtmpEdgeConfig(host, port, metricsPort, maxMessageSize, maxChunkSize, maxChunkStreams, maxConnectionsPerIp,
                maxConnections, maxInflightBytesPerPublisher, outboundChunkSize, readTimeoutSeconds, handshakeTimeoutSeconds, publishTimeoutSeconds);
    }

    public RtmpEdgeConfig withHost(String host) {
        return new RtmpEdgeConfig(host, port, metricsPort, maxMessageSize, maxChunkSize, maxChunkStreams, maxConnectionsPerIp,
                maxConnections, maxInflightBytesPerPublisher, outboundChunkSize, readTimeoutSeconds, handshakeTimeoutSeconds, publishTimeoutSeconds);
    }

    public RtmpEdgeConfig withConnectionLimits(int perIp, int total) {
        return new RtmpEdgeConfig(host, port, metricsPort, maxMessageSize, maxChunkSize, maxChunkStreams, perIp, total,
                maxInflightBytesPerPublisher, outboundChunkSize, readTimeoutSeconds, handshakeTimeoutSeconds, publishTimeoutSeconds);
    }

    public RtmpEdgeConfig withMaxInflightBytesPerPublisher(long bytes) {
        return new RtmpEdgeConfig(host, port, metricsPort, maxMessageSize, maxChunkSize, maxChunkStreams, maxConnectionsPerIp,
                maxConnections, bytes, outboundChunkSize, readTimeoutSeconds, handshakeTimeoutSeconds, publishTimeoutSeconds);
    }

    /** The read, handshake and publish timeouts (tests use short ones). */
    public RtmpEdgeConfig withTimeouts(int readSeconds, int handshakeSeconds, int publishSeconds) {
        return new RtmpEdgeConfig(host, port, metricsPort, maxMessageSize, maxChunkSize, maxChunkStreams, maxConnectionsPerIp,
                maxConnections, maxInflightBytesPerPublisher, outboundChunkSize, readSeconds, handshakeSeconds, publishSeconds);
    }
}
