package io.livestream.devstack.bench;

import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.cluster.ClusterLayout;
import io.livestream.devstack.cluster.ClusterState;
import io.livestream.devstack.cluster.DemoStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/capacity.md's scaled-down check: {@code viewers} simulated LL-HLS players (blocking reload for the hinted part,
 * then the part, as {@link SoakLoad}'s viewers) on one rendition through the running cluster's nginx cache in front of
 * its two origins. The capacity model predicts what reaches the origins — per cache node and rendition, one request
 * per distinct URL: the blocking reload naming each part and the part itself, so 2 / PART-TARGET requests/s whatever
 * the audience — and their CPU (the idle baseline plus that rate at the per-request cost of the origin-vs-nginx
 * benchmark); the run measures both (the origins' {@code origin_http_requests_total}, their /proc CPU) and prints the
 * two side by side with what the viewers asked of the cache.
 *
 * <p>Run by bench/cache-collapse.sh on {@code ./livestream cluster up}: {@code CacheCollapseCheck viewers seconds}.
 */
public final class CacheCollapseCheck {
    private static final Pattern PART_TARGET = Pattern.compile("PART-TARGET=([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(?m)^origin_http_requests_total\\{[^}]*\\} ([0-9.eE+]+)$");
    /** One origin request on the origin-vs-nginx benchmark: 2 cores / 124,511 playlists/s (BENCHMARKS.md). */
    private static final double ORIGIN_CPU_SECONDS_PER_REQUEST = 2.0 / 124_511;
    private static final String RENDITION = "360p";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int viewers = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        ClusterLayout layout = ClusterLayout.under(Path.of("").toAbsolutePath());
        ClusterState state = ClusterState.read(layout.stateFile()).filter(ClusterState::ready)
                .orElseThrow(() -> new IllegalStateException("no running cluster: ./livestream cluster up first"));
        List<Long> origins = state.processes().stream().filter(e -> e.role().equals("origin")).map(ClusterState.Entry::pid).toList();
        Map<String, String> demo = DemoStream.read(layout.dataDir());
        String base = "http://127.0.0.1:" + ClusterLayout.HTTP_PORT;
        String playlist = base + "/live/" + demo.get("id") + "/" + RENDITION + "/index.m3u8";

        Path log = Files.createTempFile("cache-collapse-ffmpeg", ".log");
        Process publisher = FfmpegProgram.publishTestPattern("rtmp://127.0.0.1:" + ClusterLayout.RTMP_PORT + "/live/" + demo.get("key"),
                "854x480", 30, seconds + 120, log);
        try {
            double partTarget = awaitPartTarget(playlist);
            System.err.printf("stream %s live, PART-TARGET %.3f s; 15 s idle baseline%n", demo.get("id"), partTarget);
            Sample before = Sample.take(origins);
            Thread.sleep(15_000);
            Sample idle = Sample.take(origins);
            System.err.printf("%d LL-HLS viewers for %d s through the cache%n", viewers, seconds);
            SoakLoad load = new SoakLoad();
            SoakLoad.Counts counts = load.viewersOnly(base, List.of(demo.get("id")), viewers, seconds, RENDITION);
            Sample after = Sample.take(origins);

            double idleRate = (idle.requests - before.requests) / idle.since(before);
            double idleCpu = (idle.cpuSeconds - before.cpuSeconds) / idle.since(before);
            double loadSeconds = after.since(idle);
            double originRate = (after.requests - idle.requests) / loadSeconds;
            double originCpu = (after.cpuSeconds - idle.cpuSeconds) / loadSeconds;
            double viewerRate = counts.requests() / loadSeconds;
            double modelRate = 2 / partTarget + idleRate;
            double modelCpu = idleCpu + (modelRate - idleRate) * ORIGIN_CPU_SECONDS_PER_REQUEST;
            System.out.printf(Locale.ROOT, "viewers=%d seconds=%.0f part_target_s=%.3f%n", viewers, loadSeconds, partTarget);
            System.out.printf(Locale.ROOT, "viewer_requests_per_s=%.0f failed=%d (what the cache answered)%n", viewerRate, counts.failed());
            System.out.printf(Locale.ROOT, "origin_requests_per_s model=%.1f measured=%.1f idle=%.1f (no cache: %.0f)%n",
                    modelRate, originRate, idleRate, viewerRate);
            System.out.printf(Locale.ROOT, "origin_cpu_cores model=%.3f measured=%.3f idle=%.3f (both origins)%n", modelCpu, originCpu, idleCpu);
            System.out.printf(Locale.ROOT, "collapse_factor=%.0f (viewer requests per origin request)%n", viewerRate / Math.max(originRate, 1e-9));
            counts.byKind().forEach((k, v) -> System.out.println("  " + k + "=" + v));
        } finally {
            publisher.destroy();
        }
    }

    private static double awaitPartTarget(String playlist) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(playlist)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher m = PART_TARGET.matcher(res.body());
                if (res.statusCode() == 200 && m.find() && res.body().contains(".m4s")) return Double.parseDouble(m.group(1));
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no LL-HLS playlist at " + playlist + " within 90 s");
    }

    /** The origins' request counters (read from each origin directly, not through the cache) and CPU seconds. */
    private record Sample(long nanos, double requests, double cpuSeconds) {
        static Sample take(List<Long> originPids) throws Exception {
            double requests = 0;
            for (int port : ClusterLayout.ORIGIN_PORTS) {
                String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (Matcher m = REQUESTS.matcher(text); m.find(); ) requests += Double.parseDouble(m.group(1));
            }
            double cpu = 0;
            for (long pid : originPids) cpu += ProcStats.cpuSeconds(pid);
            return new Sample(System.nanoTime(), requests, cpu);
        }

        double since(Sample earlier) {
            return (nanos - earlier.nanos) / 1e9;
        }
    }

    private CacheCollapseCheck() {}
}
