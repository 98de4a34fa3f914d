package io.livestream.devstack.bench;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.PipelineFixture;
import io.livestream.devstack.SharedInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Segment availability latency (issue 3): ffmpeg {@code -re} publishes 720p30 with 2 s GOPs through the real edge,
 * Kafka, the transcode job in a MiniCluster and the origin. Segment n is complete at the publisher when it sends the
 * first frame of GOP n+1, which the edge timestamps on arrival; the benchmark polls every rendition's playlist every
 * 20 ms and takes the time the origin first lists segment n. Prints median and p90 per rendition.
 *
 * <p>Run: {@code bench/segment-latency.sh [seconds=60] [preset=veryfast]}
 */
public final class SegmentLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String preset = args.length > 1 ? args[1] : "veryfast";
        List<Long> keyframeArrivals = new CopyOnWriteArrayList<>();
        try (PipelineFixture pipeline = new PipelineFixture(SharedInfra.get(), preset, sink -> VideoFrameArrivals.observe(sink, (frame, at) -> {
            if (frame.keyframe()) keyframeArrivals.add(at);
        }))) {
            CreatedStream stream = pipeline.registry().create("latency bench", "bench", null);
            Path log = Files.createTempFile("ffmpeg-latency", ".log");
            List<String> publish = new ArrayList<>(List.of("-re"));
            publish.addAll(FfmpegProgram.testPatternInput("1280x720", 30, seconds));
            publish.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "3000k", "-g", "60",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", pipeline.rtmpUrl(stream.streamKey())));
            Process ffmpeg = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), publish).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            HttpClient http = HttpClient.newHttpClient();
            String base = pipeline.liveBaseUrl(stream.stream().id());
            Map<String, Map<Long, Long>> firstSeen = new ConcurrentHashMap<>();
            while (ffmpeg.isAlive()) {
                for (String rendition : List.of("source", "480p", "360p")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + rendition + "/index.m3u8")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long now = System.currentTimeMillis();
                    if (r.statusCode() != 200) continue;
                    Map<Long, Long> seen = firstSeen.computeIfAbsent(rendition, k -> new TreeMap<>());
                    for (String line : r.body().lines().toList()) {
                        if (line.endsWith(".m4s")) seen.putIfAbsent(Long.parseLong(line.substring(line.lastIndexOf('/') + 1, line.length() - 4)), now);
                    }
                }
                Thread.sleep(20);
            }
            System.out.printf("%n%d keyframes arrived at the edge over %d s%n", keyframeArrivals.size(), seconds);
            System.out.println("| rendition | segments | availability latency median | p90 |");
            System.out.println("|---|---|---|---|");
            List<Long> all = new ArrayList<>();
            for (var e : new TreeMap<>(firstSeen).entrySet()) {
                List<Long> latencies = new ArrayList<>();
                for (var s : e.getValue().entrySet()) {
                    int nextKeyframe = (int) (s.getKey() + 1); // segment n ends where GOP n+1 begins
                    if (nextKeyframe < keyframeArrivals.size()) latencies.add(s.getValue() - keyframeArrivals.get(nextKeyframe));
                }
                all.addAll(latencies);
                System.out.printf("| %s | %d | %d ms | %d ms |%n", e.getKey(), latencies.size(), percentile(latencies, 50), percentile(latencies, 90));
            }
            System.out.printf("| all | %d | %d ms | %d ms |%n", all.size(), percentile(all, 50), percentile(all, 90));
        }
        System.exit(0);
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private SegmentLatencyBenchmark() {}
}
