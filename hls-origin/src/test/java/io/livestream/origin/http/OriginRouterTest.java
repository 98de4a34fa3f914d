package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.livestream.common.media.MediaRecord.Container.FMP4;
import static io.livestream.common.media.MediaRecord.Container.TS;

import org.junit.jupiter.api.Test;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

class OriginRouterTest {
    @Test
    void routesTheLiveAndApiPathsWithQueries() {
        assertThat(OriginRouter.route("/health")).isEqualTo(new Route.Health());
        assertThat(OriginRouter.route("/live/s1/master.m3u8")).isEqualTo(new Route.Master("s1", Route.Flavor.LIVE));
        assertThat(OriginRouter.route("/live/s1/720p/index.m3u8")).isEqualTo(new Route.Media("s1", "720p"));
        assertThat(OriginRouter.route("/live/s1/720p/42.ts")).isEqualTo(new Route.Segment("s1", "720p", 42, TS));
        assertThat(OriginRouter.route("/api/streams/s1/master.m3u8")).isEqualTo(new Route.Master("s1", Route.Flavor.API));
        assertThat(OriginRouter.route("/api/streams/s1/720p/playlist.m3u8")).isEqualTo(new Route.Media("s1", "720p"));
        assertThat(OriginRouter.route("/api/streams/s1/720p/7.ts")).isEqualTo(new Route.Segment("s1", "720p", 7, TS));
        assertThat(OriginRouter.route("/live/s1/720p/index.m3u8?_HLS_msn=3")).isEqualTo(new Route.Media("s1", "720p"));
    }

    /** Every route the origin answers, one example each: the router's whole table. */
    static final Map<String, Route> TABLE = table();

    private static Map<String, Route> table() {
        Map<String, Route> t = new LinkedHashMap<>();
        t.put("/health", new Route.Health());
        t.put("/ready", new Route.Ready());
        t.put("/api/openapi.json", new Route.OpenApi());
        t.put("/live/s1/master.m3u8", new Route.Master("s1", Route.Flavor.LIVE));
        t.put("/live/s1/manifest.mpd", new Route.DashManifest("s1"));
        t.put("/live/s1/dash/720p/video/init-1f.mp4", new Route.DashInit("s1", "720p", Route.Track.VIDEO, "1f"));
        t.put("/api/streams/s1/dash/720p/audio/12.m4s", new Route.DashSegment("s1", "720p", Route.Track.AUDIO, 12));
        t.put("/time", new Route.Time());
        t.put("/live/s1/720p/index.m3u8", new Route.Media("s1", "720p"));
        t.put("/live/s1/720p/42.ts", new Route.Segment("s1", "720p", 42, TS));
        t.put("/live/s1/720p/42.3.ts", new Route.Part("s1", "720p", 42, 3, TS));
        t.put("/api/streams/s1/master.m3u8", new Route.Master("s1", Route.Flavor.API));
        t.put("/api/streams/s1/720p/playlist.m3u8", new Route.Media("s1", "720p"));
        t.put("/api/streams/s1/720p/7.ts", new Route.Segment("s1", "720p", 7, TS));
        t.put("/api/streams/s1/720p/7.1.ts", new Route.Part("s1", "720p", 7, 1, TS));
        t.put("/live/s1/720p/42.m4s", new Route.Segment("s1", "720p", 42, FMP4));
        t.put("/live/s1/720p/42.3.m4s", new Route.Part("s1", "720p", 42, 3, FMP4));
        t.put("/live/s1/720p/init-1a2b3c.mp4", new Route.Init("s1", "720p", "1a2b3c"));
        t.put("/live/s1/ts/master.m3u8", new Route.Master("s1", Route.Flavor.LIVE, TS));
        t.put("/live/s1/ts/720p/index.m3u8", new Route.Media("s1", "720p", TS));
        t.put("/live/s1/ts/720p/42.ts", new Route.Segment("s1", "720p", 42, TS));
        t.put("/live/s1/ts/720p/42.3.ts", new Route.Part("s1", "720p", 42, 3, TS));
        t.put("/api/streams/s1/ts/master.m3u8", new Route.Master("s1", Route.Flavor.API, TS));
        t.put("/api/streams/s1/ts/720p/playlist.m3u8", new Route.Media("s1", "720p", TS));
        t.put("/live/s1/ts/index.m3u8", new Route.Media("s1", "ts", FMP4)); // a rendition may be named ts
        t.put("/dvr/s1/master.m3u8", new Route.DvrMaster("s1"));
        t.put("/dvr/s1/720p/index.m3u8", new Route.DvrMedia("s1", "720p"));
        t.put("/vod/sess1/master.m3u8", new Route.VodMaster("sess1"));
        t.put("/vod/sess1/720p/index.m3u8", new Route.VodMedia("sess1", "720p"));
        t.put("/vod/sess1/720p/9.ts", new Route.VodSegment("sess1", "720p", 9));
        t.put("/api/streams", new Route.Streams());
        t.put("/api/streams?limit=5&cursor=abc", new Route.Streams());
        t.put("/api/streams/live", new Route.LiveStreams());
        t.put("/api/streams/s1", new Route.Stream("s1"));
        t.put("/api/streams/s1/start", new Route.StartStream("s1"));
        t.put("/api/streams/s1/end", new Route.EndStream("s1"));
        t.put("/api/streams/s1/key/rotate", new Route.RotateKey("s1"));
        t.put("/api/streams/s1/health", new Route.StreamHealth("s1"));
        t.put("/api/streams/s1/recordings", new Route.Recordings("s1"));
        t.put("/api/streams/s1/viewers", new Route.Viewers("s1"));
        t.put("/api/recordings/sess1", new Route.Recording("sess1"));
        t.put("/metrics", new Route.Metrics());
        t.put("/api/streams/s1/chat?limit=10", new Route.Chat("s1"));
        t.put("/api/streams/s1/heartbeat", new Route.Heartbeat("s1"));
        t.put("/api/chat/token", new Route.ChatToken());
        t.put("/", new Route.Page("index.html"));
        t.put("/console", new Route.Page("console.html"));
        t.put("/watch/s1", new Route.Page("watch.html"));
        t.put("/static/app.css", new Route.Page("app.css"));
        t.put("/static/vendor/hls.min.js", new Route.Page("vendor/hls.min.js"));
        t.put("/web-config.json", new Route.WebConfig());
        return t;
    }

    @Test
    void routesEveryPathOfTheTableExactly() {
        TABLE.forEach((uri, route) -> assertThat(OriginRouter.route(uri)).as(uri).isEqualTo(route));
    }

    @Test
    void anInitNameThatIsNoChecksumIsNotFound() {
        assertThat(OriginRouter.route("/live/s1/720p/init-xyz.mp4")).isInstanceOf(Route.NotFound.class);
        assertThat(OriginRouter.route("/live/s1/ts/720p/extra/index.m3u8")).isInstanceOf(Route.NotFound.class);
    }

    @Test
    void theTableCoversEveryKindOfRoute() {
        Set<Class<?>> kinds = new HashSet<>(List.of(Route.class.getPermittedSubclasses()));
        kinds.removeAll(List.of(Route.NotFound.class, Route.BadRequest.class));
        assertThat(TABLE.values().stream().map(Object::getClass).collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(kinds);
    }

    @Test
    void routesNameTheirMethods() {
        assertThat(new Route.Streams().methods().allowHeader).isEqualTo("GET, HEAD, POST, OPTIONS");
        assertThat(new Route.EndStream("s1").methods().allows("GET")).isFalse();
        assertThat(new Route.Segment("s1", "r", 1).methods().allows("HEAD")).isTrue();
        assertThat(new Route.Segment("s1", "r", 1).methods().allows("POST")).isFalse();
        assertThat(new Route.Chat("s1").methods().allows("POST")).isTrue();
        assertThat(new Route.Stream("s1").methods().allowHeader).isEqualTo("GET, HEAD, DELETE, OPTIONS");
        assertThat(new Route.Recording("sess1").methods().allows("DELETE")).isTrue();
        assertThat(new Route.Recording("sess1").methods().allows("GET")).isFalse();
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
    @ValueSource(strings = {"/favicon.ico", "/live", "/live/s1", "/live/s1/720p/1.mp4", "/live/s1/720p/-1.ts",
            "/live/s1/720p/99999999999999999999.ts", "/live/s1/a/b/c.ts", "/api/streams/s1/nothing", "/api/nothing",
            "/live/s1/index.m3u8", "/health/x", "/dvr/s1", "/dvr/s1/720p/1.ts", "/vod/x/720p/1.m4s", "/api/chat",
            "/api/streams/s1/key", "/api/streams/s1/key/other", "/watch/a/b", "/static/a/b/c.js", "/static/.env"})
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
