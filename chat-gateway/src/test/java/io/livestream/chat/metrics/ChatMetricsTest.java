package io.livestream.chat.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.chat.Fakes;
import io.livestream.chat.server.ChatHttpHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The gateway's /metrics through its real handlers: answers by route and status, the socket and room gauges. */
class ChatMetricsTest {
    private final Fakes fakes = new Fakes();

    @Test
    void answersAreCountedByRouteAndStatusAndMetricsAnswerPrometheusText() {
        ChatMetrics metrics = fakes.rooms.metrics();
        EmbeddedChannel ch = new EmbeddedChannel(ChatHttpMetricsHandler.create(metrics), new ChatHttpHandler(fakes.services()));
        get(ch, "/health");
        get(ch, "/api/streams/s1/nothing");
        metrics.delivered(3);
        metrics.dropped();
        FullHttpResponse scrape = get(ch, "/metrics");
        String text = scrape.content().toString(StandardCharsets.UTF_8);
        assertThat(scrape.headers().get("Content-Type")).startsWith("text/plain");
        assertThat(text).contains("chat_http_requests_total{route=\"health\",status=\"200\"} 1.0")
                .contains("chat_http_requests_total{route=\"other\",status=\"404\"} 1.0")
                .contains("chat_deliveries_total 3.0").contains("chat_dropped_connections_total 1.0")
                .contains("chat_open_sockets 0.0").contains("chat_rooms 0.0");
        scrape.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void routeLabelsNeverCarryAStreamId() {
        assertThat(ChatHttpMetricsHandler.routeOf("/chat/abc?token=x")).isEqualTo("socket");
        assertThat(ChatHttpMetricsHandler.routeOf("/api/streams/abc/chat?limit=5")).isEqualTo("chat");
        assertThat(ChatHttpMetricsHandler.routeOf("/api/streams/abc/heartbeat")).isEqualTo("heartbeat");
        assertThat(ChatHttpMetricsHandler.routeOf("/api/chat/token")).isEqualTo("token");
        assertThat(ChatHttpMetricsHandler.routeOf("/api/streams/abc/def/ghi")).isEqualTo("other");
    }

    private static FullHttpResponse get(EmbeddedChannel ch, String uri) {
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER));
        FullHttpResponse response = ch.readOutbound();
        if (!uri.equals("/metrics")) response.release();
        return response;
    }
}
