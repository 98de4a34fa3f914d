package io.livestream.edge.server;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The publishing connections of this edge by stream id, with when each last sent media, so that a publisher can be
 * dropped on request (the API ended its session) or when it goes silent while keeping the connection open.
 */
final class ActivePublishers {
    /** Why the edge closed a connection; the handler ends the publish with this reason instead of "disconnected". */
    static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("livestream.closeReason");

    private static final class Publisher {
        final Channel channel;
        final String sessionId;
        volatile long lastMediaMs;

        Publisher(Channel channel, String sessionId, long now) {
            this.channel = channel;
            this.sessionId = sessionId;
            this.lastMediaMs = now;
        }
    }

    private final Map<String, Publisher> byStream = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    ActivePublishers(LongSupplier clock) {
        this.clock = clock;
    }

    void started(String streamId, String sessionId, Channel channel) {
        byStream.put(streamId, new Publisher(channel, sessionId, clock.getAsLong()));
    }

    void media(String streamId) {
        Publisher p = byStream.get(streamId);
        if (p != null) p.lastMediaMs = clock.getAsLong();
    }

    void ended(String streamId, Channel channel) {
        byStream.computeIfPresent(streamId, (id, p) -> p.channel == channel ? null : p);
    }

    /** Closes the stream's publishing connection (any session if {@code sessionId} is null); false if none here. */
    boolean disconnect(String streamId, String sessionId, String reason) {
        Publisher p = byStream.get(streamId);
        if (p == null || (sessionId != null && !sessionId.equals(p.sessionId))) return false;
        close(p.channel, reason);
        return true;
    }

    /** Closes publishers that sent no media for {@code timeoutMs}; returns their stream ids. */
    List<String> closeSilent(long timeoutMs) {
        long cutoff = clock.getAsLong() - timeoutMs;
        List<String> closed = new ArrayList<>();
        byStream.forEach((id, p) -> {
            if (p.lastMediaMs < cutoff) {
                close(p.channel, "timeout");
                closed.add(id);
            }
        });
        return closed;
    }

    int size() {
        return byStream.size();
    }

    private static void close(Channel channel, String reason) {
        channel.attr(CLOSE_REASON).setIfAbsent(reason);
        channel.close();
    }
}
