package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.DevStack;
import io.livestream.devstack.DevStackConfig;
import io.livestream.devstack.SharedInfra;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Issue 6 in a real browser: the whole platform as {@code ./livestream up} runs it (on the shared Kafka and Redis),
 * ffmpeg publishing, and two headless Debian Chromium pages on the watch page: the video plays, chat crosses from one
 * page to the other, and the viewer count reaches 2. Issue 12's player matrix on the same stack and stream: Shaka
 * Player (low-latency mode) and video.js (VHS) play the live CMAF output for 5 s, and dash.js (low-latency) its LL-DASH
 * manifest, with no fatal error and report their latency to live (printed, and in devstack/target/player-latency.txt). Screenshots go to devstack/target/screenshots.
 */
class BrowserEndToEndTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static DevStack stack;
    private static Path data;
    private static Process publisher;
    private static String streamId;
    private static String base;

    @BeforeAll
    static void startPlatform() throws Exception {
        assertThat(new File(CHROMIUM)).as("Debian chromium is installed (./livestream test installs it)").exists();
        assertThat(new File(CHROMEDRIVER)).as("Debian chromium-driver is installed (./livestream test installs it)").exists();
        SharedInfra infra = SharedInfra.get();
        data = Files.createTempDirectory("browser-e2e");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", infra.bootstrapServers());
        env.put("REDIS_URL", infra.redisUri());
        stack = new DevStack(DevStackConfig.parse(new String[] {
                "--data", data.toString(), "--rtmp-port", "0", "--http-port", "0", "--dashboard-port", "0",
                "--metrics-port", "0", "--chat-port", "0", "--flink-metrics-port", "-1", "--https-port", "0", "--preset", "ultrafast", "--ladder", "source,360p:800"}, env));
        stack.start();
        CreatedStream stream = stack.registry().create("Browser test", "tester", null);
        streamId = stream.stream().id();
        // long enough for every test of the class on the one stream
        publisher = FfmpegProgram.publishTestPattern("rtmp://127.0.0.1:" + stack.rtmpPort() + "/live/" + stream.streamKey(),
                "854x480", 30, 240, data.resolve("ffmpeg.log"));
        base = "http://127.0.0.1:" + stack.httpPort();
        HttpClient http = HttpClient.newHttpClient();
        // every rendition with whole segments before the players start, so each test plays a steady stream (Shaka
        // Player 5.2 failed at once on a playlist whose only segment was the open one; the origin now holds such a
        // request until the first segment is whole: BlockingPlaylistHandlerTest)
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of("360p", "source").stream().allMatch(r -> wholeSegments(http, r) >= 2));
    }

    @AfterAll
    static void stopPlatform() {
        if (publisher != null) publisher.destroy();
        if (stack != null) stack.close();
    }

    @Test
    void twoViewersWatchAndChat() throws Exception {
        String id = streamId;

        Path screenshots = Path.of("target", "screenshots");
        Files.createDirectories(screenshots);
        WebDriver alice = browser();
        WebDriver bob = browser();
        try {
            alice.get(base + "/watch/" + id);
            bob.get(base + "/watch/" + id);
            for (WebDriver page : new WebDriver[] {alice, bob}) {
                double start = awaitNumber(page, "return document.getElementById('video').currentTime", v -> v > 0, 45);
                awaitNumber(page, "return document.getElementById('video').currentTime", v -> v >= start + 3, 30);
                assertThat(js(page, "return window.playerState.fatalError")).as("no fatal hls.js error").isNull();
            }
            screenshot(alice, screenshots.resolve("watch-playing.png"));

            join(alice, "alice");
            join(bob, "bob");
            String text = "hello from alice " + System.nanoTime();
            alice.findElement(By.id("text")).sendKeys(text);
            alice.findElement(By.id("sendButton")).click();
            Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() ->
                    bob.findElement(By.id("messages")).getText().contains(text));
            screenshot(bob, screenshots.resolve("watch-chat-received.png"));

            Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).until(() ->
                    "2".equals(alice.findElement(By.id("viewers")).getText()));
            screenshot(alice, screenshots.resolve("watch-two-viewers.png"));
            assertThat(js(alice, "return window.playerState.fatalError")).isNull();
        } finally {
            alice.quit();
            bob.quit();
        }
    }

    /** HTTPS with the dev stack's self-signed certificate: Chromium negotiates HTTP/2 and hls.js plays from it. */
    @Test
    void hlsJsPlaysOverHttpsAndEveryPlaylistAndSegmentComesOverHttp2() throws Exception {
        assertThat(stack.httpsPort()).as("the dev stack serves HTTPS").isPositive();
        WebDriver page = browser("--ignore-certificate-errors");
        try {
            page.get("https://localhost:" + stack.httpsPort() + "/static/player-check.html?player=hlsjs&src=/live/" + streamId + "/master.m3u8");
            double start = awaitNumber(page, "return window.playerState.currentTime", v -> v > 0, 45);
            awaitNumber(page, "return window.playerState.currentTime", v -> v >= start + 3, 30);
            assertThat(js(page, "return window.playerState.fatalError")).as("no fatal hls.js error").isNull();
            @SuppressWarnings("unchecked")
            List<String> protocols = (List<String>) js(page, "return performance.getEntriesByType('resource')"
                    + ".filter(e => e.name.includes('/live/')).map(e => e.nextHopProtocol)");
            assertThat(protocols).as("playlists, init and media over the origin's HTTPS port").isNotEmpty().containsOnly("h2");
        } finally {
            page.quit();
        }
    }

    /**
     * The third-party players of the matrix, through the player check page: Shaka Player and video.js on the default
     * (fMP4) master playlist, dash.js on the LL-DASH manifest of the same CMAF chunks.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shaka", "videojs", "dashjs"})
    void aThirdPartyPlayerPlaysTheLiveCmafOutput(String player) throws Exception {
        WebDriver page = browser();
        try {
            String src = "/live/" + streamId + (player.equals("dashjs") ? "/manifest.mpd" : "/master.m3u8");
            page.get(base + "/static/player-check.html?player=" + player + "&src=" + src);
            double start;
            try {
                start = awaitNumber(page, "return window.playerState.currentTime", v -> v > 0, 45);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(player + " never started; fatal error: " + js(page, "return window.playerState.fatalError")
                        + "; the playlists it was given:\n" + playlistsNow(), e);
            }
            awaitNumber(page, "return window.playerState.currentTime", v -> v >= start + 5, 30);
            assertThat(js(page, "return window.playerState.fatalError")).as("no fatal %s error", player).isNull();
            Object latency = js(page, "return window.playerState.latency");
            Object basis = js(page, "return window.playerState.latencyBasis");
            assertThat(latency).as("%s reports its latency to live", player).isInstanceOf(Number.class);
            if (player.equals("dashjs")) {
                assertThat(js(page, "return window.playerState.lowLatency")).as("dash.js in low-latency mode (the MPD's incomplete segments)")
                        .isEqualTo(true);
                // the origin counts the segments it answered while they were written (chunked, as they grew)
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                double growing = metrics.lines().filter(l -> l.startsWith("origin_dash_growing_segments_total "))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
                assertThat(growing).as("segments dash.js took as they grew; its requests: %s",
                        js(page, "return performance.getEntriesByType('resource').filter(e => e.name.includes('/dash/'))"
                                + ".map(e => e.name.replace(/.*\\/dash\\//, '') + ' ' + Math.round(e.responseStart - e.startTime) + '+'"
                                + " + Math.round(e.responseEnd - e.responseStart) + ' ms').join(', ')")).isPositive();
            }
            String line = player + ": latency to live " + String.format(java.util.Locale.ROOT, "%.2f", ((Number) latency).doubleValue())
                    + " s (" + basis + ") after " + String.format(java.util.Locale.ROOT, "%.1f", start + 5) + " s played";
            System.out.println(line);
            Files.writeString(Path.of("target", "player-latency.txt"), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Path screenshots = Path.of("target", "screenshots");
            Files.createDirectories(screenshots);
            screenshot(page, screenshots.resolve("player-" + player + ".png"));
        } finally {
            page.quit();
        }
    }

    private static void join(WebDriver page, String name) {
        page.findElement(By.id("username")).sendKeys(name);
        page.findElement(By.cssSelector("#join button")).click();
        Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> page.findElement(By.id("text")).isEnabled());
    }

    private static long wholeSegments(HttpClient http, String rendition) {
        try {
            String playlist = http.send(HttpRequest.newBuilder(URI.create(base + "/live/" + streamId + "/" + rendition + "/index.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return playlist.lines().filter(line -> line.matches("\\d+\\.m4s")).count();
        } catch (Exception e) {
            return 0;
        }
    }

    /** The master and the first media playlist as the origin serves them now, for a failure message. */
    private static String playlistsNow() {
        StringBuilder out = new StringBuilder();
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/master.m3u8", "/360p/index.m3u8", "/source/index.m3u8", "/manifest.mpd")) {
            try {
                out.append(path).append(":\n").append(http.send(HttpRequest.newBuilder(URI.create(base + "/live/" + streamId + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).append('\n');
            } catch (Exception e) {
                out.append(path).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    private static WebDriver browser(String... extraArguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--mute-audio", "--autoplay-policy=no-user-gesture-required", "--window-size=1280,800");
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        return new ChromeDriver(service, options);
    }

    private static Object js(WebDriver page, String script) {
        return ((JavascriptExecutor) page).executeScript(script);
    }

    private static double awaitNumber(WebDriver page, String script, java.util.function.DoublePredicate done, int seconds) {
        double[] last = {0};
        Awaitility.await().atMost(seconds, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            Object v = js(page, script);
            last[0] = v instanceof Number n ? n.doubleValue() : 0;
            return done.test(last[0]);
        });
        return last[0];
    }

    private static void screenshot(WebDriver page, Path file) throws Exception {
        Files.copy(((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
