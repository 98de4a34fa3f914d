package io.livestream.origin.http;

import static io.livestream.origin.store.TestRecords.end;
import static io.livestream.origin.store.TestRecords.part;
import static io.livestream.origin.store.TestRecords.segmentOfParts;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LL-HLS blocking reloads, delta updates and preload-hint waits over real HTTP against a real OriginServer. */
class BlockingPlaylistHandlerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SegmentStore store;
    private OriginServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(12));
        // segment 0 whole (1 s as 4 parts), segment 1 open with its part 0
        wholeSegment(0);
        store.onMediaRecord(part("s1", "a", "720p", 1, 0, 0.25, 188));
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store);
        base = URI.create("http://127.0.0.1:" + server.start() + "/live/s1/ts/720p/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void wholeSegment(long seq) {
        for (int i = 0; i < 4; i++) store.onMediaRecord(part("s1", "a", "720p", seq, i, 0.25, 188));
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", seq, 4, 0.25));
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return getAsync(path).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReloadForAPartNotYetThereIsAnsweredWhenThePartLands() throws Exception {
        CompletableFuture<HttpResponse<String>> held = getAsync("index.m3u8?_HLS_msn=1&_HLS_part=1");
        Thread.sleep(300);
        assertThat(held).isNotDone();

        long landed = System.nanoTime();
        store.onMediaRecord(part("s1", "a", "720p", 1, 1, 0.25, 188));
        HttpResponse<String> r = held.get(5, TimeUnit.SECONDS);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - landed);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(r.body()).contains("#EXT-X-PART:DURATION=0.250,URI=\"1.1.ts\"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"1.2.ts\"\n");
        assertThat(waitedMs).as("answered as the part landed").isLessThan(1000);
    }

    @Test
    void aPlainRequestInAStreamsFirstSecondWaitsForItsFirstWholeSegment() throws Exception {
        for (int i = 0; i < 2; i++) store.onMediaRecord(part("s1", "b", "360p", 0, i, 0.25, 188));
        URI fresh = base.resolve("../360p/index.m3u8");
        CompletableFuture<HttpResponse<String>> held = CLIENT.sendAsync(HttpRequest.newBuilder(fresh).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(held).as("only parts so far: no live edge to start from").isNotDone();
        for (int i = 2; i < 4; i++) store.onMediaRecord(part("s1", "b", "360p", 0, i, 0.25, 188));
        store.onMediaRecord(segmentOfParts("s1", "b", "360p", 0, 4, 0.25));
        HttpResponse<String> r = held.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("#EXTINF:1.000,\n0.ts\n");
        // with a whole segment the plain request is answered at once, as before
        assertThat(get("index.m3u8").body()).contains("0.ts");
    }

    @Test
    void aReloadAlreadySatisfiedIsAnsweredAtOnce() throws Exception {
        for (String query : List.of("_HLS_msn=1&_HLS_part=0", "_HLS_msn=0", "_HLS_msn=0&_HLS_part=9")) {
            HttpResponse<String> r = get("index.m3u8?" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(200);
            assertThat(r.body()).contains("URI=\"1.0.ts\"");
        }
    }

    @Test
    void aMalformedQueryIsABadRequestNotAServerError() throws Exception {
        // java.net.URI refuses to send this: a raw request, as a broken client would
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + base.getPath() + "index.m3u8?_HLS_msn=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("malformed query string");
        }
    }

    @Test
    void aReloadForASegmentWaitsForTheWholeSegmentNotItsParts() throws Exception {
        CompletableFuture<HttpResponse<String>> held = getAsync("index.m3u8?_HLS_msn=1");
        for (int i = 1; i < 4; i++) store.onMediaRecord(part("s1", "a", "720p", 1, i, 0.25, 188));
        Thread.sleep(300);
        assertThat(held).isNotDone();
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", 1, 4, 0.25));
        HttpResponse<String> r = held.get(5, TimeUnit.SECONDS);
        assertThat(r.body()).contains("#EXTINF:1.000,\n1.ts\n").contains("PRELOAD-HINT:TYPE=PART,URI=\"2.0.ts\"");
    }

    @Test
    void requestsTooFarAheadOrWithAPartAloneAre400() throws Exception {
        // the last whole segment is 0: 1 is next, 2 the one after it, 3 too far ahead
        assertThat(get("index.m3u8?_HLS_msn=3").statusCode()).isEqualTo(400);
        assertThat(get("index.m3u8?_HLS_msn=3&_HLS_part=0").statusCode()).isEqualTo(400);
        assertThat(get("index.m3u8?_HLS_part=1").statusCode()).isEqualTo(400);
        assertThat(get("index.m3u8?_HLS_msn=x").statusCode()).isEqualTo(400);
        assertThat(get("index.m3u8?_HLS_msn=-1").statusCode()).isEqualTo(400);
        CompletableFuture<HttpResponse<String>> held = getAsync("index.m3u8?_HLS_msn=2&_HLS_part=0");
        Thread.sleep(200);
        assertThat(held).as("one segment beyond the next is allowed to wait").isNotDone();
    }

    @Test
    void aRequestBlockedLongerThanThreeTargetDurationsGets503() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = getAsync("index.m3u8?_HLS_msn=2").get(10, TimeUnit.SECONDS);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(waitedMs).as("3 x the 1 s target duration").isBetween(2900L, 4500L);
    }

    @Test
    void anEndedStreamAnswersHeldRequestsWithItsLastPlaylist() throws Exception {
        CompletableFuture<HttpResponse<String>> held = getAsync("index.m3u8?_HLS_msn=2&_HLS_part=0");
        Thread.sleep(200);
        store.onMediaRecord(end("s1", "a", "720p"));
        HttpResponse<String> r = held.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).endsWith("#EXT-X-ENDLIST\n").doesNotContain("PRELOAD-HINT");
    }

    @Test
    void deltaUpdatesSkipTheOldSegmentsAndPlainPlaylistsStayWhole() throws Exception {
        for (long seq = 1; seq < 10; seq++) wholeSegment(seq);
        HttpResponse<String> delta = get("index.m3u8?_HLS_msn=9&_HLS_skip=YES");
        assertThat(delta.statusCode()).isEqualTo(200);
        // 10 segments of 1 s: 0..3 end 6 s or more before the end
        assertThat(delta.body()).contains("#EXT-X-VERSION:9\n").contains("#EXT-X-MEDIA-SEQUENCE:0\n")
                .contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n").doesNotContain("\n3.ts\n").contains("\n4.ts\n");
        HttpResponse<String> plain = get("index.m3u8");
        assertThat(plain.body()).contains("#EXT-X-VERSION:6\n").doesNotContain("EXT-X-SKIP").contains("\n0.ts\n")
                .contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.750,CAN-SKIP-UNTIL=6.000\n")
                .contains("#EXT-X-PART-INF:PART-TARGET=0.250\n");
    }

    @Test
    void theHintedPartIsServedAsSoonAsItIsComplete() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> held = CLIENT.sendAsync(HttpRequest.newBuilder(base.resolve("1.1.ts")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(300);
        assertThat(held).isNotDone();
        var landed = part("s1", "a", "720p", 1, 1, 0.25, 188);
        store.onMediaRecord(landed);
        HttpResponse<byte[]> r = held.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("video/mp2t");
        assertThat(r.body()).isEqualTo(landed.payload());
        // parts that exist are served at once; parts neither there nor hinted are 404 at once
        assertThat(get("1.0.ts").statusCode()).isEqualTo(200);
        assertThat(get("0.3.ts").statusCode()).isEqualTo(200);
        assertThat(get("1.5.ts").statusCode()).isEqualTo(404);
        assertThat(get("7.0.ts").statusCode()).isEqualTo(404);
    }

    @Test
    void aHintedPartThatNeverComesIs404WhenItsSegmentCloses() throws Exception {
        CompletableFuture<HttpResponse<String>> held = getAsync("1.1.ts");
        Thread.sleep(200);
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", 1, 1, 0.25)); // the segment ended after its first part
        assertThat(held.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
    }

    @Test
    void manyHeldRequestsAreAnsweredTogetherFromOneRender() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 200; i++) held.add(getAsync("index.m3u8?_HLS_msn=1&_HLS_part=1"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.heldRequests() == 200);
        store.onMediaRecord(part("s1", "a", "720p", 1, 1, 0.25, 188));
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        String first = held.get(0).get().body();
        assertThat(held).allSatisfy(f -> assertThat(f.get().body()).isEqualTo(first));
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> server.heldRequests() == 0);
    }
}
