package io.livestream.devstack.bench;

import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.devstack.infra.FreePorts;
import io.livestream.devstack.infra.InfraConfig;
import io.livestream.devstack.infra.Infrastructure;
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
 * How many concurrent publishers one edge holds with no lost record: N ffmpeg {@code -re -c copy} publishers of a
 * 2.5 Mbit/s 720p30 clip for S seconds against an edge running in its own JVM (RtmpEdgeMain) with a real Kafka and
 * Redis. Prints the edge's CPU and RSS and compares the video frames each ffmpeg sent with what reached Kafka.
 *
 * <p>Run: {@code bench/edge-publishers.sh 20,50 60}
 */
public final class EdgePublishersBenchmark {
    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String n : (args.length > 0 ? args[0] : "20,50").split(",")) counts.add(Integer.parseInt(n.trim()));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("edge-bench");
        try (Infrastructure infra = Infrastructure.start(InfraConfig.embeddedOnFreePorts(dir));
             RedisClient redis = RedisClient.create(URI.create(infra.redisUri()))) {
            Path clip = EdgeLoad.makeClip(dir);
            System.out.printf("%n| publishers | seconds | ingest Mbit/s | edge CPU (avg, %% of one core) | edge RSS peak MB | video frames sent | in Kafka | lost | dropped by edge |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
            for (int n : counts) {
                run(infra, new StreamRegistry(redis, StreamEventPublisher.NONE, Clock.SYSTEM, "bench" + n + ":"), clip, n, seconds, dir);
            }
        }
    }

    private static void run(Infrastructure infra, StreamRegistry registry, Path clip, int publishers, int seconds, Path dir) throws Exception {
        int port = FreePorts.pick(0);
        int metricsPort = FreePorts.pick(0);
        Process edge = EdgeLoad.startEdge(infra, "bench" + publishers + ":", port, metricsPort, dir.resolve("edge-" + publishers + ".log"));
        try {
            while (!FreePorts.isListening("127.0.0.1", port, 200)) Thread.sleep(100);
            Map<String, String> keyById = EdgeLoad.createStreams(registry, publishers);
            Map<String, String> urlById = new HashMap<>();
            keyById.forEach((id, key) -> urlById.put(id, "rtmp://127.0.0.1:" + port + "/live/" + key));
            EdgeLoad.Publishers ffmpegs = EdgeLoad.publish(clip, urlById, seconds, dir, "edge" + publishers);
            double cpuStart = ProcStats.cpuSeconds(edge.pid());
            long start = System.nanoTime();
            long peakRss = 0;
            while (ffmpegs.anyAlive()) {
                peakRss = Math.max(peakRss, ProcStats.rssMb(edge.pid()));
                Thread.sleep(1000);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = ProcStats.cpuSeconds(edge.pid()) - cpuStart;
            Thread.sleep(2000); // let the producer drain
            Map<String, Long> inKafka = EdgeLoad.videoFramesInKafka(infra.bootstrapServers(), keyById.keySet());
            Map<String, Long> sentById = ffmpegs.framesSent();
            long sent = sentById.values().stream().mapToLong(Long::longValue).sum();
            long lost = EdgeLoad.lost(sentById, inKafka);
            long received = inKafka.values().stream().mapToLong(Long::longValue).sum();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            long failed = ffmpegs.failed();
            System.out.printf("| %d%s | %d | %.0f | %.0f %% | %d | %d | %d | %d | %s |%n", publishers,
                    failed > 0 ? " (" + failed + " ffmpeg failed)" : "", seconds, publishers * 2.53, 100 * cpu / wall, peakRss,
                    sent, received, lost, EdgeLoad.metric(metrics, "rtmp_edge_records_dropped_total"));
        } finally {
            edge.destroy();
            edge.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private EdgePublishersBenchmark() {}
}
