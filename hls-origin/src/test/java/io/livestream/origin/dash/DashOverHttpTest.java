package io.livestream.origin.dash;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.http.Route;
import io.livestream.origin.http.RouteTable;
import io.livestream.origin.store.SegmentStore;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The origin's LL-DASH over HTTP on real CMAF from the FFmpeg muxer, fed as the transcoder sends it (INIT, PARTs of
 * 1/3 s, SEGMENTs of 1 s): the MPD, per-track init segments and segments that ffprobe plays, and the segment being
 * written sent with chunked transfer as its parts land.
 */
class DashOverHttpTest {
    static final long T0 = 1_795_000_000_000L;
    static final int PARTS = 3;

    @TempDir
    static Path tmp;
    static CmafFixture muxed;

    final SegmentStore store = new SegmentStore();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    OriginServer server;
    /** The wall clock of segment 0's first frame. */
    long wallClockBase = T0;
    String base;

    @BeforeAll
    static void mux() throws Exception {
        muxed = CmafFixture.make(tmp, 4);
        assertThat(muxed.chunks()).hasSizeGreaterThanOrEqualTo(4 * PARTS);
    }

    @BeforeEach
    void start() throws Exception {
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store, RouteTable.builder().build());
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theMpdIsDynamicWithNumberTemplatesLowLatencyOffsetsAndTheOriginsClock() throws Exception {
        feedSegments(0, 3);
        HttpResponse<String> mpd = get("/live/s/manifest.mpd");
        assertThat(mpd.statusCode()).isEqualTo(200);
        assertThat(mpd.headers().firstValue("content-type")).hasValue("application/dash+xml");
        assertThat(mpd.body()).contains("type=\"dynamic\"", "availabilityStartTime=\"2026-11-18T", "media=\"dash/720p/video/$Number$.m4s\"",
                "media=\"dash/720p/audio/$Number$.m4s\"", "availabilityTimeOffset=\"0.666\"", "availabilityTimeComplete=\"false\"",
                "<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"/time\"/>", "codecs=\"avc1.64001f\"", "codecs=\"mp4a.40.2\"");
        assertThat(get("/api/streams/s/manifest.mpd").body()).isEqualTo(mpd.body());
        Instant served = Instant.parse(get("/time").body());
        assertThat(Duration.between(served, Instant.now()).abs()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void eachTracksInitAndSegmentsPlayInFfprobeEachSegmentStartingAtItsNumber() throws Exception {
        feedSegments(0, 3);
        String mpd = get("/live/s/manifest.mpd").body();
        String initUri = between(mpd, "initialization=\"", "\"").replace("/video/", "/%s/");
        for (String track : List.of("video", "audio")) {
            byte[] init = getBytes("/live/s/" + initUri.formatted(track));
            Fmp4Tracks.Track t = Fmp4Tracks.tracks(init).get(0);
            List<byte[]> files = new ArrayList<>(List.of(init));
            for (int n = 0; n < 3; n++) {
                byte[] segment = getBytes("/live/s/dash/720p/" + track + "/" + n + ".m4s");
                long start = Fmp4Tracks.firstDecodeTime(segment, t.trackId());
                // segment n starts at n seconds in the track's timescale (audio within one AAC frame, its offset from the video)
                assertThat(start).as("%s %d", track, n).isBetween(Math.max(0, n * t.timescale() - 2048), n * t.timescale() + 2048);
                files.add(segment);
            }
            Path file = tmp.resolve("dash-" + track + ".mp4");
            Files.write(file, CmafFixture.concat(files));
            assertThat(probe(file)).as(track).containsExactly(track);
        }
        assertThat(get("/live/s/dash/720p/video/9.m4s").statusCode()).as("beyond the next segment").isEqualTo(404);
        assertThat(get("/live/s/dash/720p/subtitles/0.m4s").statusCode()).isEqualTo(404);
    }

    @Test
    void theSegmentBeingWrittenIsSentAsItsPartsLandAndEndsWhenItIsWhole() throws Exception {
        feedSegments(0, 2);
        store.onMediaRecord(init(2));
        store.onMediaRecord(part(2, 0));
        HttpResponse<InputStream> growing = http.send(HttpRequest.newBuilder(URI.create(base + "/live/s/dash/720p/video/2.m4s")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(growing.statusCode()).isEqualTo(200);
        assertThat(growing.headers().firstValue("transfer-encoding")).hasValue("chunked");
        InputStream body = growing.body();
        byte[] header = body.readNBytes(8);
        assertThat(new String(header, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).as("the first part's moof arrives before the segment is whole")
                .isEqualTo("moof");
        for (int i = 1; i < PARTS; i++) store.onMediaRecord(part(2, i));
        store.onMediaRecord(segment(2));
        byte[] streamed = concat(header, body.readAllBytes());
        assertThat(streamed).as("the same bytes as the whole segment's").isEqualTo(getBytes("/live/s/dash/720p/video/2.m4s"));
        assertThat(server.growingSegmentAnswers()).as("one answer while it grew; the whole one after is not").isEqualTo(1);
    }

    @Test
    void overHttp2TheGrowingSegmentComesInDataFramesWithoutHttp11Headers() throws Exception {
        io.livestream.origin.tls.TlsConfig tls = io.livestream.origin.tls.SelfSignedCertificates.inDirectory(tmp.resolve("tls"), 0);
        try (OriginServer secure = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store).withTls(tls)) {
            secure.start();
            HttpClient h2 = HttpClient.newBuilder().sslContext(io.livestream.origin.tls.OriginTlsTest.trusting(tls.certificateChain()))
                    .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
            feedSegments(0, 1);
            store.onMediaRecord(init(1));
            store.onMediaRecord(part(1, 0));
            var growing = h2.sendAsync(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + secure.httpsPort() + "/live/s/dash/720p/video/1.m4s"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            Thread.sleep(200);
            assertThat(growing).as("open until the segment is whole").isNotDone();
            for (int i = 1; i < PARTS; i++) store.onMediaRecord(part(1, i));
            store.onMediaRecord(segment(1));
            HttpResponse<byte[]> answer = growing.get(5, TimeUnit.SECONDS);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(answer.headers().firstValue("transfer-encoding")).isEmpty();
            assertThat(answer.body()).isEqualTo(getBytes("/live/s/dash/720p/video/1.m4s"));
        }
    }

    @Test
    void aRequestForTheNextSegmentWaitsForItAndAGapIsNotFound() throws Exception {
        feedSegments(0, 1);
        store.onMediaRecord(init(1));
        store.onMediaRecord(part(1, 0));
        var next = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/live/s/dash/720p/audio/2.m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(200);
        assertThat(next).isNotDone();
        for (int i = 1; i < PARTS; i++) store.onMediaRecord(part(1, i));
        store.onMediaRecord(segment(1));
        feedSegments(2, 3);
        assertThat(next.get(5, TimeUnit.SECONDS).body()).isEqualTo(getBytes("/live/s/dash/720p/audio/2.m4s"));
        // segment 3 skipped by the transcoder: a gap, no media under that number
        feedSegments(4, 5);
        assertThat(get("/live/s/dash/720p/video/3.m4s").statusCode()).isEqualTo(404);
        assertThat(get("/live/s/dash/720p/video/4.m4s").statusCode()).isEqualTo(200);
    }

    @Test
    void aGrowingSegmentEndsWithWhatItHadWhenTheStreamEndsAndOneThatNeverStartsIs503() throws Exception {
        feedSegments(0, 1);
        store.onMediaRecord(init(1));
        store.onMediaRecord(part(1, 0));
        var cut = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/live/s/dash/720p/video/1.m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        var never = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/live/s/dash/720p/video/2.m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(200);
        store.onMediaRecord(new MediaRecord("s", "session", "720p", MediaRecord.Type.END, 0, -1, 0, 0, false, false,
                null, 0, 0, 0, 0, 0, null));
        HttpResponse<byte[]> ended = cut.get(5, TimeUnit.SECONDS);
        assertThat(ended.statusCode()).isEqualTo(200);
        Fmp4Tracks.Track video = Fmp4Tracks.tracks(muxed.init()).get(0);
        assertThat(ended.body()).as("part 0's samples, complete boxes").isNotEmpty()
                .isEqualTo(Fmp4Tracks.extract(chunk(1, 0), video.trackId(), video.timescale() - Fmp4Tracks.firstDecodeTime(chunk(1, 0), video.trackId())));
        assertThat(never.get(5, TimeUnit.SECONDS).statusCode()).as("the stream ended before it began").isEqualTo(404);

        store.onMediaRecord(init(1)); // live again: segment 2 opens and never closes, segment 3 never starts
        feedSegments(1, 2);
        store.onMediaRecord(part(2, 0));
        long asked = System.nanoTime();
        HttpResponse<byte[]> late = http.send(HttpRequest.newBuilder(URI.create(base + "/live/s/dash/720p/video/3.m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("four target durations").isBetween(Duration.ofMillis(3_500), Duration.ofSeconds(6));
    }

    @Test
    void whenTheWallClockJumpsANewPeriodStartsAndTheStartTimeStays() throws Exception {
        feedSegments(0, 3);
        String before = get("/live/s/manifest.mpd").body();
        wallClockBase += 10_000; // the publisher was away 10 s (or its clock stepped): segments 3 on came 10 s late
        feedSegments(3, 5);
        String after = get("/live/s/manifest.mpd").body();
        assertThat(between(after, "availabilityStartTime=\"", "\"")).isEqualTo(between(before, "availabilityStartTime=\"", "\""));
        assertThat(after).contains("<Period id=\"p0\" start=\"PT0S\">", "<Period id=\"p3\" start=\"PT13S\">",
                "startNumber=\"3\" presentationTimeOffset=\"" + 3 * 15360 + "\"");
        // the decode times stay number-based: segment 3 starts at 3 s in either Period's terms
        Fmp4Tracks.Track video = Fmp4Tracks.tracks(muxed.init()).get(0);
        assertThat(Fmp4Tracks.firstDecodeTime(getBytes("/live/s/dash/720p/video/3.m4s"), video.trackId())).isEqualTo(3 * video.timescale());
    }

    @Test
    void aStreamWhoseInitTheSplitterCannotReadHasNoManifestRatherThanAnError() throws Exception {
        store.onMediaRecord(io.livestream.origin.store.TestRecords.init("x", "a", "720p", 0, 1)); // 64 bytes, not an MP4
        store.onMediaRecord(io.livestream.origin.store.TestRecords.fmp4(io.livestream.origin.store.TestRecords.segment("x", "a", "720p", 0, 1.0, 100)));
        assertThat(get("/live/x/720p/index.m3u8").statusCode()).as("HLS serves it").isEqualTo(200);
        assertThat(get("/live/x/manifest.mpd").statusCode()).isEqualTo(404);
        assertThat(get("/live/unknown/manifest.mpd").statusCode()).isEqualTo(404);
    }

    @Test
    void ffmpegsDashDemuxerFindsBothTracksThroughTheMpd() throws Exception {
        // segments whose wall clock is now, as a live stream's are: the demuxer picks its segment by the clock
        wallClockBase = System.currentTimeMillis() - 4_000;
        feedSegments(0, 4);
        Path log = tmp.resolve("ffprobe-mpd.log");
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(), List.of("-v", "error", "-analyzeduration", "300000", "-probesize", "50000",
                "-show_entries", "stream=codec_type", "-of", "csv=p=0", base + "/live/s/manifest.mpd"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // nothing but the streams (ffprobe lists them per program and again in all): no error line
        assertThat(Files.readAllLines(log).stream().filter(l -> !l.isBlank()).distinct().sorted().toList())
                .as(Files.readString(log)).containsExactly("audio", "video");
    }

    /** Whole segments {@code from} (inclusive) to {@code to} (exclusive), each an INIT, its parts and the SEGMENT. */
    private void feedSegments(int from, int to) {
        for (int n = from; n < to; n++) {
            store.onMediaRecord(init(n));
            for (int i = 0; i < PARTS; i++) store.onMediaRecord(part(n, i));
            store.onMediaRecord(segment(n));
        }
    }

    /** Segment n is chunks {@code 3n..3n+2} of the fixture, whose timestamps run from 0: n wraps to the fixture. */
    private static byte[] chunk(long n, int i) {
        return muxed.chunks().get((int) (n % 4) * PARTS + i);
    }

    private MediaRecord init(long n) {
        return record(MediaRecord.Type.INIT, n, -1, 0, muxed.init());
    }

    private MediaRecord part(long n, int i) {
        return record(MediaRecord.Type.PART, n, i, 1.0 / PARTS, chunk(n, i));
    }

    private MediaRecord segment(long n) {
        return record(MediaRecord.Type.SEGMENT, n, -1, 1.0, concat(chunk(n, 0), chunk(n, 1), chunk(n, 2)));
    }

    private MediaRecord record(MediaRecord.Type type, long n, int part, double durationSec, byte[] payload) {
        return new MediaRecord("s", "session", "720p", type, n, part, durationSec, n * 1000, part <= 0, false,
                "avc1.64001f,mp4a.40.2", 320, 240, 30, 500_000, wallClockBase + n * 1000 + Math.max(part, 0) * 333L, payload,
                MediaRecord.Container.FMP4);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] getBytes(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static byte[] concat(byte[]... parts) {
        return CmafFixture.concat(List.of(parts));
    }

    private static String between(String text, String from, String to) {
        int at = text.indexOf(from) + from.length();
        return text.substring(at, text.indexOf(to, at));
    }

    /** The codec types ffprobe finds, after it decoded every packet. */
    private static List<String> probe(Path file) throws Exception {
        Path log = Files.createTempFile(tmp, "ffprobe", ".log");
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(), List.of("-v", "error", "-count_frames", "-show_entries",
                "stream=codec_type", "-of", "csv=p=0", file.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    }
}
