package io.livestream.devstack.bench;

import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.devstack.infra.FreePorts;
import io.livestream.devstack.infra.InfraConfig;
import io.livestream.devstack.infra.Infrastructure;
import io.livestream.edge.RtmpEdgeMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * Our edge against nginx-rtmp, side by side in one run (issue 13): the same N ffmpeg {@code -re -c copy} publishers
 * of the same 2.5 Mbit/s 720p30 clip for S seconds, first to nginx-rtmp ({@code live on}, one worker, its own
 * {@code -p prefix -c conf}), then to the edge (RtmpEdgeMain in its own JVM with the production JVM options, which
 * also produces every tag to a real Kafka broker with acks=all and idempotence). CPU is utime+stime of the server
 * process(es) over the steady window (from 5 s after the publishers start until 2 s before they stop); RSS is
 * sampled every second (peak, and median of the window). A third run publishes the same load to the edge with an
 * ingest sink that stores nothing ({@link EdgeWithoutKafkaMain}): the edge's floor without the Kafka producer. The
 * Kafka broker runs embedded in this harness JVM: its CPU is reported apart, the edge's figures are the edge JVM's alone. Needs Debian's nginx and libnginx-mod-rtmp
 * (bench/edge-vs-nginx.sh installs them).
 *
 * <p>Run: {@code bench/edge-vs-nginx.sh 50 30}
 */
public final class EdgeVsNginxBenchmark {
    private static final int WARM_UP_SECONDS = 5;
    private static final int COOL_DOWN_SECONDS = 2;

    /** What one server cost over the steady window. */
    record Usage(double cpuSeconds, double windowSeconds, long rssPeakMb, long rssSteadyMb, long framesSent, long failedPublishers) {
        double cpuPercent() {
            return 100 * cpuSeconds / windowSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int publishers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (seconds < WARM_UP_SECONDS + COOL_DOWN_SECONDS + 5) throw new IllegalArgumentException("at least 12 s");
        Path dir = Files.createTempDirectory("edge-vs-nginx");
        System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("edge JVM options: " + String.join(" ", EdgeLoad.edgeJvmOptions()));
        try (Infrastructure infra = Infrastructure.start(InfraConfig.embeddedOnFreePorts(dir));
             RedisClient redis = RedisClient.create(URI.create(infra.redisUri()))) {
            Path clip = EdgeLoad.makeClip(dir);
            Usage nginx = runNginx(clip, publishers, seconds, dir);
            System.out.println("load average between: " + Files.readString(Path.of("/proc/loadavg")).trim());

            EdgeRun ours = runEdge(RtmpEdgeMain.class, infra, redis, clip, publishers, seconds, dir, "edge");
            System.out.println("load average between: " + Files.readString(Path.of("/proc/loadavg")).trim());
            EdgeRun floor = runEdge(EdgeWithoutKafkaMain.class, infra, redis, clip, publishers, seconds, dir, "edge-floor");
            // only the first run stored anything: its frames are the ones to find in live.ingest
            Map<String, Long> inKafka = EdgeLoad.videoFramesInKafka(infra.bootstrapServers(), ours.framesSent().keySet());
            long stored = inKafka.values().stream().mapToLong(Long::longValue).sum();
            long lost = EdgeLoad.lost(ours.framesSent(), inKafka);

            Usage edge = ours.usage();
            System.out.printf("%n%d publishers x 2.5 Mbit/s for %d s; steady window %.1f s%n%n", publishers, seconds, edge.windowSeconds());
            System.out.println("| server | CPU s in window | CPU (% of one core) | RSS peak MB | RSS steady MB | video frames sent | failed publishers |");
            System.out.println("|---|---|---|---|---|---|---|");
            row("nginx-rtmp (master + worker)", nginx);
            row("our edge (JVM only)", edge);
            row("our edge, ingest sink storing nothing (the floor without Kafka)", floor.usage());
            System.out.printf("| ours / nginx-rtmp | %.1fx | | %.1fx | %.1fx | | |%n", edge.cpuSeconds() / nginx.cpuSeconds(),
                    (double) edge.rssPeakMb() / nginx.rssPeakMb(), (double) edge.rssSteadyMb() / nginx.rssSteadyMb());
            System.out.printf("| floor / nginx-rtmp | %.1fx | | %.1fx | %.1fx | | |%n", floor.usage().cpuSeconds() / nginx.cpuSeconds(),
                    (double) floor.usage().rssPeakMb() / nginx.rssPeakMb(), (double) floor.usage().rssSteadyMb() / nginx.rssSteadyMb());
            System.out.printf("%nedge: %d video records in Kafka, %d lost, %s dropped by the edge; Kafka broker (embedded in the harness JVM, "
                    + "with the sampling) %.1f CPU s over the edge's run (%.0f %% of one core); the Kafka producer's share of the edge: "
                    + "%.2f CPU s (%.0f %%)%n", stored, lost, ours.dropped(), ours.harnessCpu(), 100 * ours.harnessCpu() / seconds,
                    edge.cpuSeconds() - floor.usage().cpuSeconds(), 100 * (edge.cpuSeconds() - floor.usage().cpuSeconds()) / edge.cpuSeconds());
            System.out.printf("target: CPU <= 2x nginx-rtmp (%s: %.1fx), RSS <= 200 MB (%s: %d MB peak), no lost record (%s)%n",
                    edge.cpuSeconds() <= 2 * nginx.cpuSeconds() ? "met" : "NOT met", edge.cpuSeconds() / nginx.cpuSeconds(),
                    edge.rssPeakMb() <= 200 ? "met" : "NOT met", edge.rssPeakMb(), lost == 0 ? "met" : "NOT met");
        }
    }

    /** One edge run: its usage, the harness's CPU over it, the video frames ffmpeg sent per stream id, the edge's drops. */
    record EdgeRun(Usage usage, double harnessCpu, Map<String, Long> framesSent, String dropped) {}

    /** Publishes to {@code main} (an edge with RtmpEdgeMain's flags) in its own JVM. */
    private static EdgeRun runEdge(Class<?> main, Infrastructure infra, RedisClient redis, Path clip, int publishers, int seconds,
                                   Path dir, String tag) throws Exception {
        String prefix = "bench-" + tag + ":";
        int port = FreePorts.pick(0);
        int metricsPort = FreePorts.pick(0);
        StreamRegistry registry = new StreamRegistry(redis, StreamEventPublisher.NONE, Clock.SYSTEM, prefix);
        Process edge = EdgeLoad.startEdge(main, infra, prefix, port, metricsPort, dir.resolve(tag + ".log"));
        try {
            while (!FreePorts.isListening("127.0.0.1", port, 200)) Thread.sleep(100);
            Map<String, String> keyById = EdgeLoad.createStreams(registry, publishers);
            Map<String, String> urlById = new HashMap<>();
            keyById.forEach((id, key) -> urlById.put(id, "rtmp://127.0.0.1:" + port + "/live/" + key));
            long harness = ProcessHandle.current().pid();
            double harnessBefore = ProcStats.cpuSeconds(harness);
            EdgeLoad.Publishers ffmpegs = EdgeLoad.publish(clip, urlById, seconds, dir, tag);
            Usage usage = measure(edge.pid(), ffmpegs, seconds);
            double harnessCpu = ProcStats.cpuSeconds(harness) - harnessBefore;
            Thread.sleep(2000); // let the producer drain
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new EdgeRun(usage, harnessCpu, ffmpegs.framesSent(), EdgeLoad.metric(metrics, "rtmp_edge_records_dropped_total"));
        } finally {
            edge.destroy();
            edge.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void row(String name, Usage u) {
        System.out.printf("| %s | %.2f | %.1f %% | %d | %d | %d | %d |%n", name, u.cpuSeconds(), u.cpuPercent(), u.rssPeakMb(),
                u.rssSteadyMb(), u.framesSent(), u.failedPublishers());
    }

    private static Usage runNginx(Path clip, int publishers, int seconds, Path dir) throws Exception {
        int port = FreePorts.pick(0);
        String config = NginxProcess.withRtmpModule("""
                rtmp { server { listen 127.0.0.1:%d; application live { live on; } } }
                """.formatted(port));
        try (NginxProcess nginx = NginxProcess.start(dir.resolve("nginx"), config, port)) {
            Map<String, String> urlByName = new HashMap<>();
            for (int i = 0; i < publishers; i++) urlByName.put("s" + i, "rtmp://127.0.0.1:" + port + "/live/s" + i);
            return measure(nginx.pid(), EdgeLoad.publish(clip, urlByName, seconds, dir, "nginx"), seconds);
        }
    }

    /** Samples the server's process tree each second while the publishers run; CPU over the steady window. */
    private static Usage measure(long pid, EdgeLoad.Publishers ffmpegs, int seconds) throws Exception {
        long start = System.nanoTime();
        long windowStart = start + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
        long windowEnd = start + TimeUnit.SECONDS.toNanos(seconds - COOL_DOWN_SECONDS);
        double cpuAtStart = Double.NaN;
        double cpuAtEnd = Double.NaN;
        long startedAt = 0;
        long endedAt = 0;
        long peak = 0;
        List<Long> steady = new ArrayList<>();
        while (ffmpegs.anyAlive()) {
            long now = System.nanoTime();
            long rss = ProcStats.treeRssMb(pid);
            peak = Math.max(peak, rss);
            if (now >= windowStart && Double.isNaN(cpuAtStart)) {
                cpuAtStart = ProcStats.treeCpuSeconds(pid);
                startedAt = now;
            }
            if (now >= windowStart && now < windowEnd) steady.add(rss);
            if (now >= windowEnd && Double.isNaN(cpuAtEnd)) {
                cpuAtEnd = ProcStats.treeCpuSeconds(pid);
                endedAt = now;
            }
            long next = Math.min(now + TimeUnit.SECONDS.toNanos(1), Double.isNaN(cpuAtStart) ? windowStart : Double.isNaN(cpuAtEnd) ? windowEnd : Long.MAX_VALUE);
            Thread.sleep(Math.max(1, (next - System.nanoTime()) / 1_000_000));
        }
        if (Double.isNaN(cpuAtEnd)) throw new IllegalStateException("the publishers stopped before the steady window ended");
        for (Process p : ffmpegs.processes()) p.waitFor();
        steady.sort(null);
        long sent = ffmpegs.framesSent().values().stream().mapToLong(Long::longValue).sum();
        return new Usage(cpuAtEnd - cpuAtStart, (endedAt - startedAt) / 1e9, peak, steady.get(steady.size() / 2), sent, ffmpegs.failed());
    }

    private EdgeVsNginxBenchmark() {}
}
