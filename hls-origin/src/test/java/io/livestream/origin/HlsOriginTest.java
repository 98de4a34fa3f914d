package io.livestream.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.store.TestRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The facade's wiring; consuming from a real broker is covered by devstack. */
class HlsOriginTest {
    @Test
    void startsServingAndClosesCleanlyWithoutABroker() throws Exception {
        HlsOriginConfig config = HlsOriginConfig.defaults("127.0.0.1:1")
                .withHttp(io.livestream.origin.http.OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0))
                .withLookback(Duration.ofSeconds(30));
        assertThat(config.groupId()).startsWith("hls-origin-").isNotEqualTo(HlsOriginConfig.defaults("x").groupId());
        long started = System.nanoTime();
        try (HlsOrigin origin = new HlsOrigin(config)) {
            int port = origin.start();
            origin.store().onMediaRecord(TestRecords.segment("s1", "a", "720p", 0, 2.0, 10));
            HttpRequest playlist = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/live/s1/ts/720p/index.m3u8")).build();
            // no broker: the look-back is never read, so live HLS is not served (a cache would ask another origin)
            assertThat(HttpClient.newHttpClient().send(playlist, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
            origin.store().warmedUp();
            HttpResponse<String> r = HttpClient.newHttpClient().send(playlist, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("0.ts");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}
