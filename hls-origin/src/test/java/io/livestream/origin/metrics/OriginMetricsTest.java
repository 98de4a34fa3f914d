package io.livestream.origin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.http.RouteTable;
import io.livestream.origin.store.SegmentStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers counted by route kind and status on a real origin server, connections opened and closed. */
class OriginMetricsTest {
    @Test
    void everyAnswerIsCountedByRouteKindAndStatus() throws Exception {
        OriginMetrics metrics = new OriginMetrics(() -> 3, () -> 7);
        try (OriginServer server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), new SegmentStore(),
                RouteTable.builder().build(), metrics)) {
            String base = "http://127.0.0.1:" + server.start();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String path : List.of("/health", "/health", "/live/s1/master.m3u8", "/no/such/thing", "/live/s1/720p/1.ts")) {
                client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding());
            }
            String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
            assertThat(text).contains("origin_http_requests_total{route=\"Health\",status=\"200\"} 2.0")
                    .contains("origin_http_requests_total{route=\"Master\",status=\"404\"} 1.0")
                    .contains("origin_http_requests_total{route=\"NotFound\",status=\"404\"} 1.0")
                    .contains("origin_http_requests_total{route=\"Segment\",status=\"404\"} 1.0")
                    .contains("origin_llhls_held_requests 3.0")
                    .contains("origin_dash_growing_segments_total 7.0")
                    .contains("origin_connections_total 1.0")
                    .containsPattern("origin_http_response_bytes_total\\{route=\"Health\"} [1-9]");
            assertThat(text).as("one kept-alive connection").contains("origin_open_connections 1.0");
        }
    }

    @Test
    void routeKindsAreTheRouteRecordsNames() {
        assertThat(HttpMetricsHandler.routeOf("/api/streams/abc/viewers")).isEqualTo("Viewers");
        assertThat(HttpMetricsHandler.routeOf("/live/abc/720p/12.3.ts")).isEqualTo("Part");
        assertThat(HttpMetricsHandler.routeOf("/%zz")).isEqualTo("BadRequest");
    }
}
