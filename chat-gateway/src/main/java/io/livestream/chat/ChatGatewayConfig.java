package io.livestream.chat;

import io.livestream.common.registry.StreamRegistry;
import io.livestream.netguard.ConnectionLimits;
import java.time.Duration;
import java.util.UUID;

/**
 * Everything a gateway needs.
 *
 * @param port 8090 by default; 0 picks a free port
 * @param gatewayId unique per instance: refusals are routed back to the sender's gateway by it
 * @param tokenSecret HMAC key of chat tokens; every gateway of a deployment shares it
 * @param maxFrameBytes larger text frames are refused with an error frame (2 KiB)
 * @param maxChars longer messages are refused with an error frame (500)
 * @param outboundQueueFrames frames queued for a client that does not read before it is dropped
 * @param floodBurst, floodPerSecond the per-connection token bucket of inbound frames; an empty bucket cuts the connection
 * @param historyOnJoin messages a joining client receives first (50)
 * @param verdictTimeout how long POST /api/streams/{id}/chat waits for the chat job's verdict
 * @param connections open connections per remote address and in total; over them a new connection is closed at once
 *     (behind nginx every client is nginx: raise the per-address one there)
 * @param idleTimeoutSec an HTTP connection (before any upgrade) with nothing read or written for this long is closed
 * @param requestTimeoutSec an HTTP request must arrive whole this long after its first byte (slowloris)
 * @param pingIntervalSec a socket silent for this long gets a ping; silent for as long again (no pong), it is closed
 * @param fanoutCoalesceMs a room's messages wait this long at most to go to each socket together, one write and one
 *     flush for all of them ({@link #DEFAULT_FANOUT_COALESCE_MS}); 0 sends each at once
 */
public record ChatGatewayConfig(int port, String bootstrapServers, String redisUri, String keyPrefix, String gatewayId,
                                String tokenSecret, Duration tokenTtl, int maxFrameBytes, int maxChars,
                                int outboundQueueFrames, int floodBurst, double floodPerSecond, int historyOnJoin,
                                Duration verdictTimeout, ConnectionLimits connections, int idleTimeoutSec,
                                int requestTimeoutSec, int pingIntervalSec, long fanoutCoalesceMs) {
    public static final int DEFAULT_PORT = 8090;
    public static final ConnectionLimits DEFAULT_CONNECTION_LIMITS = new ConnectionLimits(1_000, 10_000);
    /**
     * A busy room's messages go out per socket in groups of up to 30 ms: one room of 5,000 sockets at 50 msg/s is
     * 250,000 writes a second one by one, the gateway's and the readers' CPU the limit on a shared machine (p99 608 ms
     * submit to delivery, 3.2 µs of gateway CPU per delivery); grouped, p99 370 ms at 2.5 µs, while 2,000 sockets at
     * 25 msg/s go from p99 64 to 89 ms (ChatFanoutBenchmark, BENCHMARKS.md).
     */
    public static final long DEFAULT_FANOUT_COALESCE_MS = 30;

    public static ChatGatewayConfig defaults(String bootstrapServers, String redisUri, String tokenSecret) {
        return new ChatGatewayConfig(DEFAULT_PORT, bootstrapServers, redisUri, StreamRegistry.DEFAULT_KEY_PREFIX,
                "gw-" + UUID.randomUUID().toString().substring(0, 8), tokenSecret, Duration.ofHours(12),
                2048, 500, 1024, 10, 2.0, 50, Duration.ofSeconds(3), DEFAULT_CONNECTION_LIMITS, 60, 10, 30,
                DEFAULT_FANOUT_COALESCE_MS);
    }

    public ChatGatewayConfig withPort(int newPort) {
        return new ChatGatewayConfig(newPort, bootstrapServers, redisUri, keyPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, outboundQueueFrames, floodBurst, floodPerSecond, historyOnJoin, verdictTimeout, connections, idleTimeoutSec, requestTimeoutSec, pingIntervalSec, fanoutCoalesceMs);
    }

    public ChatGatewayConfig withKeyPrefix(String newPrefix) {
        return new ChatGatewayConfig(port, bootstrapServers, redisUri, newPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, outboundQueueFrames, floodBurst, floodPerSecond, historyOnJoin, verdictTimeout, connections, idleTimeoutSec, requestTimeoutSec, pingIntervalSec, fanoutCoalesceMs);
    }

    public ChatGatewayConfig withFlood(int burst, double perSecond) {
        return new ChatGatewayConfig(port, bootstrapServers, redisUri, keyPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, outboundQueueFrames, burst, perSecond, historyOnJoin, verdictTimeout, connections, idleTimeoutSec, requestTimeoutSec, pingIntervalSec, fanoutCoalesceMs);
    }

    public ChatGatewayConfig withOutboundQueueFrames(int frames) {
        return new ChatGatewayConfig(port, bootstrapServers, redisUri, keyPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, frames, floodBurst, floodPerSecond, historyOnJoin, verdictTimeout, connections, idleTimeoutSec, requestTimeoutSec, pingIntervalSec, fanoutCoalesceMs);
    }

    public ChatGatewayConfig withConnectionLimits(ConnectionLimits limits) {
        return new ChatGatewayConfig(port, bootstrapServers, redisUri, keyPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, outboundQueueFrames, floodBurst, floodPerSecond, historyOnJoin, verdictTimeout, limits,
                idleTimeoutSec, requestTimeoutSec, pingIntervalSec, fanoutCoalesceMs);
    }

    public ChatGatewayConfig withFanoutCoalesceMs(long ms) {
        return new ChatGatewayConfig(port, bootstrapServers, redisUri, keyPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, outboundQueueFrames, floodBurst, floodPerSecond, historyOnJoin, verdictTimeout, connections,
                idleTimeoutSec, requestTimeoutSec, pingIntervalSec, ms);
    }

    /** The HTTP idle timeout, the whole-request deadline and the WebSocket ping interval (tests use short ones). */
    public ChatGatewayConfig withTimeouts(int idleSec, int requestSec, int pingSec) {
        return new ChatGatewayConfig(port, bootstrapServers, redisUri, keyPrefix, gatewayId, tokenSecret, tokenTtl,
                maxFrameBytes, maxChars, outboundQueueFrames, floodBurst, floodPerSecond, historyOnJoin, verdictTimeout, connections,
                idleSec, requestSec, pingSec, fanoutCoalesceMs);
    }
}
