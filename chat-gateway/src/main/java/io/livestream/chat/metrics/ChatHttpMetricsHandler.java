package io.livestream.chat.metrics;

import io.livestream.netguard.HttpAnswerCounter;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.regex.Pattern;

/** The gateway's HTTP answers counted by route and status (sockets and rooms are counted by {@link ChatMetrics}). */
public final class ChatHttpMetricsHandler {
    private static final Pattern STREAM_ROUTE = Pattern.compile("/api/streams/[^/]+/(chat|viewers|heartbeat)");

    /** One per connection, beside the gateway's handler. */
    public static ChannelHandler create(ChatMetrics metrics) {
        return new HttpAnswerCounter(ChatHttpMetricsHandler::routeOf, (route, status, bodyBytes) -> metrics.answered(route, status));
    }

    /** A bounded label for a request target (never a stream id): socket, health, metrics, token, chat, viewers, heartbeat, other. */
    static String routeOf(String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return "other";
        }
        if (path.startsWith("/chat/")) return "socket";
        if (path.equals("/health") || path.equals("/metrics")) return path.substring(1);
        if (path.equals("/api/chat/token")) return "token";
        var stream = STREAM_ROUTE.matcher(path);
        return stream.matches() ? stream.group(1) : "other";
    }

    private ChatHttpMetricsHandler() {}
}
