package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import java.util.Random;

class OriginRouterTest {
    @Test
    void routesTheLiveAndApiPaths() {
        assertThat(OriginRouter.route("/health")).isEqualTo(new Route.Health());
        assertThat(OriginRouter.route("/live/s1/master.m3u8")).isEqualTo(new Route.Master("s1", Route.Flavor.LIVE));
        assertThat(OriginRouter.route("/live/s1/720p/index.m3u8")).isEqualTo(new Route.Media("s1", "720p"));
        assertThat(OriginRouter.route("/live/s1/720p/42.ts")).isEqualTo(new Route.Segment("s1", "720p", 42));
        assertThat(OriginRouter.route("/api/streams/s1/master.m3u8")).isEqualTo(new Route.Master("s1", Route.Flavor.API));
        assertThat(OriginRouter.route("/api/streams/s1/720p/playlist.m3u8")).isEqualTo(new Route.Media("s1", "720p"));
        assertThat(OriginRouter.route("/api/streams/s1/720p/7.ts")).isEqualTo(new Route.Segment("s1", "720p", 7));
        assertThat(OriginRouter.route("/live/s1/720p/index.m3u8?_HLS_msn=3")).isEqualTo(new Route.Media("s1", "720p"));
    }

    @Test
    void renditionUrisResolveNextToTheMasterThatNamesThem() {
        assertThat(Route.Flavor.LIVE.renditionUri("720p")).isEqualTo("720p/index.m3u8");
        assertThat(Route.Flavor.API.renditionUri("720p")).isEqualTo("720p/playlist.m3u8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/live/../etc/passwd/x", "/live/s1/%2e%2e/index.m3u8", "/live/s1/..%2f..%2f/1.ts",
            "/live/s%zz/master.m3u8", "/live/s1/720p/%00.ts", "/live/s$1/master.m3u8", "/live/s1/.hidden/1.ts",
            "relative/path", "", "/live//master.m3u8", "/live/s1\\..\\x/master.m3u8"})
    void refusesTraversalAndGarbage(String uri) {
        assertThat(OriginRouter.route(uri)).isInstanceOf(Route.BadRequest.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/favicon.ico", "/live", "/live/s1", "/live/s1/720p/1.mp4", "/live/s1/720p/-1.ts",
            "/live/s1/720p/99999999999999999999.ts", "/live/s1/a/b/c.ts", "/api/streams/live", "/api/streams/s1/viewers",
            "/live/s1/index.m3u8"})
    void unknownShapesAreNotFound(String uri) {
        assertThat(OriginRouter.route(uri)).isInstanceOf(Route.NotFound.class);
    }

    @Test
    void arbitraryInputNeverThrows() {
        Random random = new Random(42);
        String alphabet = "/.%2eEfF0a9zZ_-?#&=\\:+ \u0000\u00e9";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder uri = new StringBuilder(random.nextBoolean() ? "/" : "");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) uri.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (random.nextInt(4) == 0) uri.insert(0, "/live/s1/720p/");
            assertThat(OriginRouter.route(uri.toString())).isNotNull();
        }
    }
}
