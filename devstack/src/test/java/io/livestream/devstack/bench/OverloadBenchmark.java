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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Overload (issue 13): more 1080p publishers than the two cores can transcode with the full ladder. Each publisher
 * sends the same pre-encoded 1080p30 clip (1 s GOPs) in real time with {@code -c copy}, so the publishers cost
 * little; the transcode job runs in a MiniCluster with the default ladder and preset. Every media playlist of
 * every stream is polled every 100 ms; a segment's availability is when it was first listed minus when its media
 * ended at the edge (its PROGRAM-DATE-TIME, the edge's ingest time of its first keyframe, plus its duration), which
 * does not depend on segment numbers. Prints per stream the median and p90 availability, the segments listed, the
 * forward jumps (EXT-X-DISCONTINUITY: GOPs skipped by the overload policy) and the renditions it got.
 *
 * <p>Run: {@code bench/overload.sh [streams=3] [seconds=90] [catch-up-lag-ms=5000]} (0: the policy off, as before)
 */
public final class OverloadBenchmark {
    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        String catchUpLagMs = args.length > 2 ? args[2] : "5000";
        Path dir = Files.createTempDirectory("overload-bench");
        Path clip = dir.resolve("clip-1080p.flv");
        System.out.println("encoding the 1080p30 clip the publishers loop (1 s GOPs, 4.5 Mbit/s)...");
        List<String> encode = new ArrayList<>(FfmpegProgram.testPatternInput("1920x1080", 30, 30));
        encode.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", "4500k", "-g", "30", "-bf", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-f", "flv", clip.toString()));
        FfmpegProgram.run(encode, dir.resolve("encode.log"));

        try (PipelineFixture pipeline = new PipelineFixture(SharedInfra.get(), "veryfast", sink -> sink, Map.of("catch-up-lag-ms", catchUpLagMs))) {
            List<Process> publishers = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                CreatedStream stream = pipeline.registry().create("overload " + i, "bench", null);
                ids.add(stream.stream().id());
                publishers.add(FfmpegProgram.builder(FfmpegProgram.ffmpeg(), List.of("-hide_banner", "-nostdin", "-loglevel", "warning",
                                "-re", "-stream_loop", "-1", "-i", clip.toString(), "-t", String.valueOf(seconds), "-c", "copy", "-f", "flv",
                                pipeline.rtmpUrl(stream.streamKey())))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("publisher-" + i + ".log").toFile()).start());
            }
            System.out.printf("%d publishers of 1920x1080 for %d s, catch-up lag %s ms%n", streams, seconds, catchUpLagMs);
            HttpClient http = HttpClient.newHttpClient();
            Map<String, StreamSeen> seen = new LinkedHashMap<>();
            for (String id : ids) seen.put(id, new StreamSeen());
            long until = System.currentTimeMillis() + seconds * 1000L + 20_000; // what is still queued comes out after the publish
            while (System.currentTimeMillis() < until) {
                for (String id : ids) poll(http, pipeline.liveBaseUrl(id), seen.get(id));
                Thread.sleep(100);
            }
            publishers.forEach(Process::destroy);
            System.out.println("| stream | renditions | segments | availability median | p90 | max | forward jumps |");
            System.out.println("|---|---|---|---|---|---|---|");
            int n = 0;
            List<Long> all = new ArrayList<>();
            for (StreamSeen s : seen.values()) {
                List<Long> l = new ArrayList<>(s.availabilityMs);
                all.addAll(l);
                System.out.printf("| %d | %s | %d | %s | %s | %s | %d |%n", ++n, String.join(",", s.renditions), l.size(),
                        secs(percentile(l, 50)), secs(percentile(l, 90)), secs(l.isEmpty() ? -1 : Collections.max(l)), s.jumps);
            }
            System.out.printf("| all | | %d | %s | %s | %s | |%n", all.size(), secs(percentile(all, 50)), secs(percentile(all, 90)),
                    secs(all.isEmpty() ? -1 : Collections.max(all)));
        }
        System.exit(0);
    }

    /** What the poller saw of one stream: renditions, per (rendition, segment URI) the availability, and jumps. */
    static final class StreamSeen {
        final TreeSet<String> renditions = new TreeSet<>();
        final Map<String, Long> firstSeen = new LinkedHashMap<>();
        final List<Long> availabilityMs = new ArrayList<>();
        int jumps;
    }

    private static void poll(HttpClient http, String base, StreamSeen seen) throws Exception {
        HttpResponse<String> master = http.send(HttpRequest.newBuilder(URI.create(base + "master.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        if (master.statusCode() != 200) return;
        for (String line : master.body().lines().toList()) {
            if (!line.isEmpty() && !line.startsWith("#")) seen.renditions.add(line.substring(0, line.indexOf('/')));
        }
        for (String rendition : seen.renditions) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + rendition + "/index.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
            long now = System.currentTimeMillis();
            if (r.statusCode() != 200) continue;
            long dateMs = -1;
            double duration = 0;
            boolean discontinuity = false;
            for (String line : r.body().lines().toList()) {
                if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) dateMs = Instant.parse(line.substring(25)).toEpochMilli();
                else if (line.startsWith("#EXTINF:")) duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
                else if (line.equals("#EXT-X-DISCONTINUITY")) discontinuity = true;
                else if (!line.isEmpty() && !line.startsWith("#")) {
                    if (seen.firstSeen.putIfAbsent(rendition + "/" + line, now) == null && dateMs > 0) {
                        seen.availabilityMs.add(now - (dateMs + Math.round(duration * 1000)));
                        if (discontinuity && rendition.equals("source")) seen.jumps++;
                    }
                    dateMs = -1;
                    discontinuity = false;
                }
            }
        }
    }

    private static String secs(long ms) {
        return ms < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
