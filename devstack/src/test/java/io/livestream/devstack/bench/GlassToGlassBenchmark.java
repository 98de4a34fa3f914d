package io.livestream.devstack.bench;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.DevStack;
import io.livestream.devstack.DevStackConfig;
import io.livestream.devstack.SharedInfra;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Glass-to-glass latency per player (issues 7 and 12): the whole platform (as {@code ./livestream up} runs it), ffmpeg
 * {@code -re} publishing 720p30 with 1 s GOPs, and one player after the other on the same live stream in headless
 * Chromium through the player check page: hls.js and Shaka Player (low-latency mode) on the fMP4 LL-HLS master
 * playlist, video.js (VHS), dash.js (low-latency) on the LL-DASH manifest. Every second for {@code seconds} it reads the
 * page's {@code playerState.latency}: for hls.js and Shaka the wall clock minus the EXT-X-PROGRAM-DATE-TIME of the
 * frame being shown (the edge's clock when that frame arrived there), for dash.js its live latency (the wall clock,
 * synchronised to the origin's /time, minus the presentation time shown, which the MPD maps to the same edge clock),
 * for video.js its distance behind the live edge (VHS keeps no program date-time clock; not glass-to-glass).
 *
 * <p>Run: {@code bench/glass-to-glass.sh [seconds=60] [players=hlsjs,shaka,videojs,dashjs] [part-target-ms=250]}
 */
public final class GlassToGlassBenchmark {
    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // the shared Kafka and Redis keep non-daemon threads: without this a failed run hangs
        }
    }

    private static void run(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<String> players = List.of((args.length > 1 ? args[1] : "hlsjs,shaka,videojs,dashjs").split(","));
        String partTargetMs = args.length > 2 ? args[2] : "250";
        SharedInfra infra = SharedInfra.get();
        Path data = Files.createTempDirectory("g2g");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", infra.bootstrapServers());
        env.put("REDIS_URL", infra.redisUri());
        DevStack stack = new DevStack(DevStackConfig.parse(new String[] {
                "--data", data.toString(), "--rtmp-port", "0", "--http-port", "0", "--dashboard-port", "0",
                "--metrics-port", "0", "--chat-port", "0", "--flink-metrics-port", "-1", "--https-port", "-1",
                "--part-target-ms", partTargetMs}, env));
        stack.start();
        Process publisher = null;
        List<String> rows = new ArrayList<>();
        try {
            CreatedStream stream = stack.registry().create("glass to glass", "bench", null);
            List<String> publish = new ArrayList<>(List.of("-re"));
            publish.addAll(FfmpegProgram.testPatternInput("1280x720", 30, players.size() * (seconds + 40) + 60));
            publish.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "2500k", "-g", "30",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                    "rtmp://127.0.0.1:" + stack.rtmpPort() + "/live/" + stream.streamKey()));
            publisher = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), publish).redirectErrorStream(true)
                    .redirectOutput(data.resolve("ffmpeg.log").toFile()).start();
            Thread.sleep(8_000); // a few segments, so the player starts at a steady live edge
            for (String player : players) {
                String src = "/live/" + stream.stream().id() + (player.equals("dashjs") ? "/manifest.mpd" : "/master.m3u8");
                rows.add(measure(player, "http://127.0.0.1:" + stack.httpPort() + "/static/player-check.html?player=" + player + "&src=" + src,
                        seconds));
                System.out.println(rows.get(rows.size() - 1));
            }
        } finally {
            if (publisher != null) publisher.destroy();
            stack.close();
        }
        System.out.printf("%nparts of %s ms%n| player | samples | latency median | p90 | measured as | seconds without progress | fatal error |%n"
                + "|---|---|---|---|---|---|---|%n", partTargetMs);
        rows.forEach(System.out::println);
        System.exit(0);
    }

    private static String measure(String player, String url, int seconds) throws InterruptedException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--mute-audio", "--autoplay-policy=no-user-gesture-required");
        WebDriver page = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
        try {
            page.get(url);
            Thread.sleep(15_000); // start and settle on the live edge
            JavascriptExecutor js = (JavascriptExecutor) page;
            List<Double> latencies = new ArrayList<>();
            int stalls = 0;
            double lastTime = -1;
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                Object latency = js.executeScript("return window.playerState.latency");
                Object time = js.executeScript("return window.playerState.currentTime");
                double now = time instanceof Number n ? n.doubleValue() : 0;
                if (now <= lastTime) stalls++;
                lastTime = now;
                if (latency instanceof Number n && n.doubleValue() > 0) latencies.add(n.doubleValue());
            }
            Object basis = js.executeScript("return window.playerState.latencyBasis");
            Object fatal = js.executeScript("return window.playerState.fatalError");
            latencies.sort(Double::compare);
            return String.format(Locale.ROOT, "| %s | %d | %.2f s | %.2f s | %s | %d | %s |", player, latencies.size(),
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? Double.NaN : latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.9) - 1)),
                    basis, stalls, fatal == null ? "none" : fatal);
        } finally {
            page.quit();
        }
    }

    private GlassToGlassBenchmark() {}
}
