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
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Glass-to-glass latency as a viewer sees it (issue 7): the whole platform (as {@code ./livestream up} runs it),
 * ffmpeg {@code -re} publishing 720p30 with 1 s GOPs, and the watch page in headless Chromium with hls.js in
 * low-latency mode. Every second for {@code seconds} it samples hls.js's {@code latency} (distance to the live edge
 * by EXT-X-PROGRAM-DATE-TIME, which the transcoder stamps with the wall clock of the frame's arrival) and the
 * playing position; prints the median and p90.
 *
 * <p>Run: {@code bench/glass-to-glass.sh [seconds=60]}
 */
public final class GlassToGlassBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        SharedInfra infra = SharedInfra.get();
        Path data = Files.createTempDirectory("g2g");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", infra.bootstrapServers());
        env.put("REDIS_URL", infra.redisUri());
        DevStack stack = new DevStack(DevStackConfig.parse(new String[] {
                "--data", data.toString(), "--rtmp-port", "0", "--http-port", "0", "--dashboard-port", "0",
                "--metrics-port", "0", "--chat-port", "0", "--flink-metrics-port", "-1", "--https-port", "-1"}, env));
        stack.start();
        Process publisher = null;
        WebDriver page = null;
        try {
            CreatedStream stream = stack.registry().create("glass to glass", "bench", null);
            List<String> publish = new ArrayList<>(List.of("-re"));
            publish.addAll(FfmpegProgram.testPatternInput("1280x720", 30, seconds + 60));
            publish.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "2500k", "-g", "30",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                    "rtmp://127.0.0.1:" + stack.rtmpPort() + "/live/" + stream.streamKey()));
            publisher = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), publish).redirectErrorStream(true)
                    .redirectOutput(data.resolve("ffmpeg.log").toFile()).start();
            Thread.sleep(8_000); // a few segments, so the player starts at a steady live edge
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-quic", "--mute-audio", "--autoplay-policy=no-user-gesture-required");
            page = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
            page.get("http://127.0.0.1:" + stack.httpPort() + "/watch/" + stream.stream().id());
            Thread.sleep(10_000); // settle on the live edge
            List<Double> latencies = new ArrayList<>();
            int stalls = 0;
            double lastTime = -1;
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                Object latency = ((JavascriptExecutor) page).executeScript("return window.hls ? window.hls.latency : null");
                Object time = ((JavascriptExecutor) page).executeScript("return document.getElementById('video').currentTime");
                double now = time instanceof Number n ? n.doubleValue() : 0;
                if (now <= lastTime) stalls++;
                lastTime = now;
                if (latency instanceof Number n && n.doubleValue() > 0) latencies.add(n.doubleValue());
            }
            Object fatal = ((JavascriptExecutor) page).executeScript("return window.playerState.fatalError");
            latencies.sort(Double::compare);
            System.out.printf("%n| samples | glass-to-glass median | p90 | seconds without progress | fatal hls.js error |%n|---|---|---|---|---|%n");
            System.out.printf("| %d | %.2f s | %.2f s | %d | %s |%n", latencies.size(),
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? Double.NaN : latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.9) - 1)),
                    stalls, fatal == null ? "none" : fatal);
        } finally {
            if (page != null) page.quit();
            if (publisher != null) publisher.destroy();
            stack.close();
        }
        System.exit(0);
    }

    private GlassToGlassBenchmark() {}
}
