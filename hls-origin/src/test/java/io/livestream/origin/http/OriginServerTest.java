package io.livestream.origin.http;

import static io.livestream.origin.store.TestRecords.end;
import static io.livestream.origin.store.TestRecords.fmp4;
import static io.livestream.origin.store.TestRecords.init;
import static io.livestream.origin.store.TestRecords.part;
import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.json.Json;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoreConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real OriginServer on port 0, spoken to with java.net.http. */
class OriginServerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final SegmentStore STORE = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(3));
    private static OriginServer server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        for (long seq = 0; seq < 5; seq++) {
            STORE.onMediaRecord(segment("live1", "a", "720p", seq, 2.0, 4000));
            STORE.onMediaRecord(segment("live1", "a", "360p", seq, 2.0, 1000));
        }
        for (long seq = 0; seq < 3; seq++) { // the default output of a current transcoder: fMP4 beside TS
            STORE.onMediaRecord(init("cmaf1", "a", "720p", seq, 1));
            STORE.onMediaRecord(fmp4(part("cmaf1", "a", "720p", seq, 0, 1.0, 500)));
            STORE.onMediaRecord(fmp4(segment("cmaf1", "a", "720p", seq, 1.0, 500)));
            STORE.onMediaRecord(part("cmaf1", "a", "720p", seq, 0, 1.0, 400));
            STORE.onMediaRecord(segment("cmaf1", "a", "720p", seq, 1.0, 400));
        }
        STORE.onMediaRecord(segment("gone", "a", "720p", 0, 4.0, 100));
        STORE.onMediaRecord(end("gone", "a", "720p"));
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), STORE);
        base = URI.create("http://127.0.0.1:" + server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDefaultUrlsServeFmp4WithItsInitAndTheTsTreeServesTheSameCut() throws Exception {
        String master = get("/live/cmaf1/master.m3u8").body();
        assertThat(master).contains("720p/index.m3u8");
        HttpResponse<String> media = get("/live/cmaf1/720p/index.m3u8");
        assertThat(media.statusCode()).isEqualTo(200);
        String init = media.body().lines().filter(l -> l.startsWith("#EXT-X-MAP:URI=")).findFirst().orElseThrow();
        String initUri = init.substring(init.indexOf('"') + 1, init.lastIndexOf('"'));
        HttpResponse<byte[]> initBytes = CLIENT.send(HttpRequest.newBuilder(base.resolve("/live/cmaf1/720p/" + initUri)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(initBytes.statusCode()).isEqualTo(200);
        assertThat(header(initBytes, "content-type")).isEqualTo("video/mp4");
        assertThat(header(initBytes, "cache-control")).contains("immutable");
        assertThat(initBytes.body()).hasSize(64);
        for (String file : List.of("2.m4s", "2.0.m4s")) {
            HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(base.resolve("/live/cmaf1/720p/" + file)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(file).isEqualTo(200);
            assertThat(header(r, "content-type")).isEqualTo("video/mp4");
            assertThat(r.body()).hasSize(500);
        }
        assertThat(media.body()).contains("\n2.m4s\n").doesNotContain(".ts");
        String ts = get("/live/cmaf1/ts/720p/index.m3u8").body();
        assertThat(ts).contains("\n2.ts\n").doesNotContain("EXT-X-MAP");
        HttpResponse<byte[]> tsSegment = CLIENT.send(HttpRequest.newBuilder(base.resolve("/live/cmaf1/ts/720p/2.ts")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(header(tsSegment, "content-type")).isEqualTo("video/mp2t");
        assertThat(tsSegment.body()).hasSize(400);
        assertThat(get("/live/cmaf1/720p/init-0.mp4").statusCode()).isEqualTo(404);
    }

    @Test
    void masterPlaylist() throws Exception {
        HttpResponse<String> r = get("/live/live1/ts/master.m3u8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "content-type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(header(r, "cache-control")).isEqualTo("public, max-age=2");
        assertThat(header(r, "etag")).startsWith("\"");
        assertThat(r.body()).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=3008000,AVERAGE-BANDWIDTH=16000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2"
                720p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=1568000,AVERAGE-BANDWIDTH=4000,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2"
                360p/index.m3u8
                """);
    }

    @Test
    void livePlaylistAndSegmentsResolveFromEachEntryPoint() throws Exception {
        for (String master : List.of("/live/live1/ts/master.m3u8", "/api/streams/live1/ts/master.m3u8")) {
            URI masterUri = base.resolve(master);
            String firstVariant = get(masterUri).body().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
            URI playlistUri = masterUri.resolve(firstVariant);
            long before = System.currentTimeMillis() / 1000;
            HttpResponse<String> playlist = get(playlistUri);
            long after = System.currentTimeMillis() / 1000;
            assertThat(playlist.statusCode()).as(playlistUri.toString()).isEqualTo(200);
            assertThat(header(playlist, "cache-control")).isEqualTo("public, max-age=1");
            // a cache in front holds it to the end of the second it was made in, not to the end of the next one
            assertThat(header(playlist, "x-accel-expires")).as("nginx's expiry of a live playlist")
                    .isIn("@" + before, "@" + after);
            assertThat(playlist.body()).contains("#EXT-X-MEDIA-SEQUENCE:2\n").doesNotContain("#EXT-X-ENDLIST");
            String firstSegment = playlist.body().lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
            HttpResponse<byte[]> seg = getBytes(playlistUri.resolve(firstSegment), Map.of());
            assertThat(seg.statusCode()).as(playlistUri.resolve(firstSegment).toString()).isEqualTo(200);
            assertThat(seg.body()).isEqualTo(segment("live1", "a", "720p", 2, 2.0, 4000).payload());
        }
        assertThat(get("/api/streams/live1/ts/master.m3u8").body()).contains("\n720p/playlist.m3u8\n");
    }

    @Test
    void segmentHeaders() throws Exception {
        HttpResponse<byte[]> r = getBytes(base.resolve("/live/live1/360p/4.ts"), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "content-type")).isEqualTo("video/mp2t");
        assertThat(header(r, "cache-control")).isEqualTo("public, max-age=86400, immutable");
        assertThat(header(r, "accept-ranges")).isEqualTo("bytes");
        assertThat(header(r, "content-length")).isEqualTo("1000");
        assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
        assertThat(header(r, "access-control-expose-headers")).contains("ETag", "Content-Range");
    }

    @Test
    void endedPlaylistIsCachedLongerAndHasEndlist() throws Exception {
        HttpResponse<String> r = get("/live/gone/ts/720p/index.m3u8");
        assertThat(r.body()).contains("#EXT-X-TARGETDURATION:4\n").endsWith("#EXT-X-ENDLIST\n");
        assertThat(header(r, "cache-control")).isEqualTo("public, max-age=30");
        assertThat(r.headers().firstValue("x-accel-expires")).as("an ended playlist no longer changes").isEmpty();
    }

    @Test
    void aSharedCacheIsToldTheEndOfTheMaxAgeAsAnAbsoluteSecond() {
        assertThat(Resource.sharedCacheExpiry(1_700_000_000_999L, 1)).isEqualTo("@1700000000");
        assertThat(Resource.sharedCacheExpiry(1_700_000_000_000L, 2)).isEqualTo("@1700000001");
    }

    @Test
    void etagGivesNotModified() throws Exception {
        for (String path : List.of("/live/live1/ts/720p/index.m3u8", "/live/live1/ts/720p/3.ts", "/live/live1/ts/master.m3u8")) {
            String etag = header(getBytes(base.resolve(path), Map.of()), "etag");
            HttpResponse<byte[]> again = getBytes(base.resolve(path), Map.of("If-None-Match", etag));
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(header(again, "etag")).isEqualTo(etag);
            assertThat(getBytes(base.resolve(path), Map.of("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void headSendsHeadersOnly() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/live/live1/720p/3.ts"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "content-length")).isEqualTo("4000");
        assertThat(header(r, "content-type")).isEqualTo("video/mp2t");
        assertThat(r.body()).isEmpty();
        // the connection is still usable afterwards
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void byteRanges() throws Exception {
        byte[] whole = segment("live1", "a", "720p", 3, 2.0, 4000).payload();
        HttpResponse<byte[]> part = getBytes(base.resolve("/live/live1/720p/3.ts"), Map.of("Range", "bytes=100-199"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(header(part, "content-range")).isEqualTo("bytes 100-199/4000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 200));

        HttpResponse<byte[]> tail = getBytes(base.resolve("/live/live1/720p/3.ts"), Map.of("Range", "bytes=-10"));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, 3990, 4000));

        HttpResponse<byte[]> beyond = getBytes(base.resolve("/live/live1/720p/3.ts"), Map.of("Range", "bytes=4000-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(header(beyond, "content-range")).isEqualTo("bytes */4000");
    }

    @Test
    void corsPreflight() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/live/live1/720p/3.ts"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://player.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range")
                .build());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
        assertThat(header(r, "access-control-allow-methods")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(header(r, "access-control-allow-headers")).isEqualTo("range");
        assertThat(header(r, "access-control-max-age")).isEqualTo("86400");
    }

    @Test
    void whileTheStoreReadsItsLookbackLiveHlsIsUnavailableSoACacheAsksAnotherOrigin() throws Exception {
        STORE.startWarmingUp();
        try {
            for (String path : List.of("/live/live1/ts/master.m3u8", "/live/live1/ts/720p/index.m3u8", "/live/live1/ts/720p/3.ts",
                    "/live/cmaf1/720p/index.m3u8")) {
                HttpResponse<String> r = get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(503);
                assertThat(header(r, "retry-after")).isEqualTo("1");
                assertThat(r.body()).contains("reading the live windows");
            }
            assertThat(get("/health").statusCode()).as("alive meanwhile").isEqualTo(200);
        } finally {
            STORE.warmedUp();
        }
        assertThat(get("/live/live1/ts/720p/index.m3u8").statusCode()).isEqualTo(200);
    }

    @Test
    void notFoundCasesAnswerJson() throws Exception {
        assertError(get("/live/nope/master.m3u8"), 404, "unknown stream");
        assertError(get("/live/live1/ts/1080p/index.m3u8"), 404, "unknown rendition");
        assertError(get("/api/streams/live1/ts/1080p/playlist.m3u8"), 404, "unknown rendition");
        assertError(get("/live/live1/720p/5.ts"), 404, "segment not in window"); // not yet there
        assertError(get("/live/live1/1080p/3.ts"), 404, "unknown rendition");
        assertError(get("/favicon.ico"), 404, "no such resource");
    }

    @Test
    void otherMethodsAre405() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/live/live1/ts/master.m3u8"))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(header(r, "allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
    }

    @Test
    void traversalAndGarbageAre400() throws Exception {
        assertError(get("/live/live1/%2e%2e/index.m3u8"), 400, "illegal path");
        assertThat(raw("GET /live/s%zz/master.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET /live/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET live/x HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("\u0001\u0002garbage\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(r.body()).get("status").asText()).isEqualTo("UP");
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(status);
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(r.body()).get("error").asText()).isEqualTo(message);
        assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return get(URI.create(base + path));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        headers.forEach(b::header);
        return send(b.build());
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** Sends bytes no well-behaved client would, returns the status line. */
    private static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", base.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r'; ) line.append((char) c);
            return line.toString();
        }
    }
}
