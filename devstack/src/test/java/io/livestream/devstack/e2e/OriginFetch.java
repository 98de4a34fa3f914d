package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.testing.FfmpegProgram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** What a player fetches from the origin, for the end-to-end tests: playlists, media bytes, the master's variants, ffprobe. */
final class OriginFetch {
    private static final Pattern STREAM_INF = Pattern.compile(
            "#EXT-X-STREAM-INF:BANDWIDTH=(\\d+),AVERAGE-BANDWIDTH=(\\d+),RESOLUTION=(\\d+)x(\\d+),FRAME-RATE=([\\d.]+),CODECS=\"([^\"]+)\"\\n(\\S+)");
    private static final HttpClient http = HttpClient.newHttpClient();

    /** One EXT-X-STREAM-INF of a master playlist. */
    record Variant(long bandwidth, int width, int height, double frameRate, String codecs, String uri) {}

    /** The variants of a master playlist (none for null: not served yet). */
    static List<Variant> variantsOf(String master) {
        List<Variant> out = new ArrayList<>();
        if (master == null) return out;
        Matcher m = STREAM_INF.matcher(master);
        while (m.find()) {
            out.add(new Variant(Long.parseLong(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Double.parseDouble(m.group(5)), m.group(6), m.group(7)));
        }
        return out;
    }

    /** Whole segments a media playlist lists (0 while it is not served). */
    /**
     * While {@code ffmpeg} publishes: waits until the master playlist at {@code base} lists {@code variants} renditions
     * with at least 4 segments each; then that ffmpeg ended cleanly (its log as the message) and that every media
     * playlist has ended, so the windows no longer slide while a test fetches their segments one by one (a loaded
     * box transcodes the last GOPs seconds after ffmpeg exits).
     */
    static void awaitLadderThenEnd(String base, int variants, Process ffmpeg, Path log) throws Exception {
        try {
            Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() ->
                    variantsOf(get(base + "master.m3u8")).size() == variants
                            && variantsOf(get(base + "master.m3u8")).stream().allMatch(v -> segmentsOf(base + v.uri()) >= 4));
        } finally {
            assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ffmpeg.exitValue()).as(Files.readString(log)).isZero();
        }
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() ->
                variantsOf(get(base + "master.m3u8")).stream().allMatch(v -> get(base + v.uri()).contains("#EXT-X-ENDLIST")));
    }

    static int segmentsOf(String playlistUrl) {
        String text = get(playlistUrl);
        return text == null ? 0 : (int) text.lines().filter(l -> l.startsWith("#EXTINF")).count();
    }

    /** The body of a 200, else null. */
    static String get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(url, e);
        }
    }

    /** The body, asserting a 200. */
    static byte[] getBytes(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** ffprobe's {@code -show_streams} JSON of a file or URL (a media playlist: its segments as one stream). */
    static String ffprobe(String url) throws Exception {
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(),
                List.of("-v", "error", "-of", "json", "-show_streams", url)).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffprobe " + url + ": " + new String(p.getErrorStream().readAllBytes())).isZero();
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private OriginFetch() {}
}
