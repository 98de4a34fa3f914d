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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part availability latency (issue 7): ffmpeg {@code -re} publishes 720p30 with 1 s GOPs through the real edge,
 * Kafka, the transcode job in a MiniCluster and the origin. For each part: from the moment the publisher sent the
 * part's last frame (the edge's arrival time of that frame: with {@code -re} on loopback that is the send time) to the
 * moment the origin lists the part. The origin is watched like an LL-HLS player does: one blocking reload
 * ({@code _HLS_msn}/{@code _HLS_part} of the next part) after another per rendition, so a part is seen as soon as it
 * is listed, without polling delay. A part's last frame is found from its segment's keyframe PTS plus the listed part
 * durations. Prints median and p90 per rendition.
 *
 * <p>Run: {@code bench/run-bench.sh PartLatencyBenchmark [seconds=60] [preset=veryfast]}
 */
public final class PartLatencyBenchmark {
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=([\\d.]+),URI=\"(\\d+)\\.(\\d+)\\.(?:ts|m4s)\"");
    private static final Pattern SEGMENT = Pattern.compile("^(\\d+)\\.(?:ts|m4s)$", Pattern.MULTILINE);

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String preset = args.length > 1 ? args[1] : "veryfast";
        // fmp4: the default playlists (CMAF parts); ts: the legacy MPEG-TS ones under ts/
        String tree = args.length > 2 && args[2].equals("ts") ? "ts/" : "";
        List<Long> keyframePts = new CopyOnWriteArrayList<>();
        NavigableMap<Long, Long> frameArrivals = new ConcurrentSkipListMap<>(); // video PTS -> wall-clock arrival at the edge
        try (PipelineFixture pipeline = new PipelineFixture(SharedInfra.get(), preset, sink -> VideoFrameArrivals.observe(sink, (frame, at) -> {
            frameArrivals.putIfAbsent(frame.ptsMs(), at);
            if (frame.keyframe()) keyframePts.add(frame.ptsMs());
        }))) {
            CreatedStream stream = pipeline.registry().create("part latency bench", "bench", null);
            Path log = Files.createTempFile("ffmpeg-part-latency", ".log");
            List<String> publish = new ArrayList<>(List.of("-re"));
            publish.addAll(FfmpegProgram.testPatternInput("1280x720", 30, seconds));
            publish.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "3000k", "-g", "30",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", pipeline.rtmpUrl(stream.streamKey())));
            Process ffmpeg = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), publish).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            String base = pipeline.liveBaseUrl(stream.stream().id()) + tree;
            Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
            List<Thread> watchers = new ArrayList<>();
            for (String rendition : List.of("source", "480p", "360p")) {
                List<Long> mine = new CopyOnWriteArrayList<>();
                latencies.put(rendition, mine);
                Thread watcher = new Thread(() -> watch(base + rendition + "/index.m3u8", ffmpeg, keyframePts, frameArrivals, mine), "watch-" + rendition);
                watcher.setDaemon(true);
                watcher.start();
                watchers.add(watcher);
            }
            ffmpeg.waitFor();
            for (Thread t : watchers) t.join(10_000);
            System.out.printf("%n%d keyframes, %d video frames arrived at the edge over %d s (preset %s)%n", keyframePts.size(),
                    frameArrivals.size(), seconds, preset);
            System.out.println("playlists: " + (tree.isEmpty() ? "fMP4 (default)" : "MPEG-TS (ts/)"));
            System.out.println("| rendition | parts | part availability latency median | p90 |");
            System.out.println("|---|---|---|---|");
            List<Long> all = new ArrayList<>();
            for (var e : new TreeMap<>(latencies).entrySet()) {
                all.addAll(e.getValue());
                System.out.printf("| %s | %d | %d ms | %d ms |%n", e.getKey(), e.getValue().size(),
                        SegmentLatencyBenchmark.percentile(e.getValue(), 50), SegmentLatencyBenchmark.percentile(e.getValue(), 90));
            }
            System.out.printf("| all | %d | %d ms | %d ms |%n", all.size(), SegmentLatencyBenchmark.percentile(all, 50),
                    SegmentLatencyBenchmark.percentile(all, 90));
        }
        System.exit(0);
    }

    /** Blocking reloads of one media playlist, each for the part after the last one listed, until the publisher is done. */
    private static void watch(String playlistUrl, Process publisher, List<Long> keyframePts, NavigableMap<Long, Long> arrivals, List<Long> out) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<Long, List<Double>> partDurations = new TreeMap<>(); // msn -> listed durations, in order
        long firstMsn = Long.MAX_VALUE;
        long nextMsn = -1; // -1: not following the live edge yet (plain reloads)
        int nextPart = 0;
        while (publisher.isAlive()) {
            try {
                String query = nextMsn < 0 ? "" : "?_HLS_msn=" + nextMsn + "&_HLS_part=" + nextPart;
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(playlistUrl + query)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long seenAt = System.currentTimeMillis();
                if (r.statusCode() != 200) {
                    if (r.statusCode() != 503) {
                        nextMsn = -1; // not there yet, or lost track: start over from the plain playlist
                        Thread.sleep(100);
                    }
                    continue;
                }
                boolean following = nextMsn >= 0; // parts in the first (plain) answer were listed at unknown times
                long lastMsn = -1;
                int lastPart = -1;
                Matcher m = PART.matcher(r.body());
                while (m.find()) {
                    long msn = Long.parseLong(m.group(2));
                    int index = Integer.parseInt(m.group(3));
                    firstMsn = Math.min(firstMsn, msn); // the stream's first segment is GOP 0 at the edge
                    lastMsn = msn;
                    lastPart = index;
                    List<Double> durations = partDurations.computeIfAbsent(msn, k -> new ArrayList<>());
                    if (index != durations.size()) continue; // listed before (or its segment was joined mid-way)
                    durations.add(Double.parseDouble(m.group(1)));
                    int gop = (int) (msn - firstMsn);
                    if (following && durations.get(0) != null && gop < keyframePts.size()) {
                        double sinceKeyframe = durations.stream().mapToDouble(Double::doubleValue).sum();
                        Map.Entry<Long, Long> lastFrame = arrivals.lowerEntry(keyframePts.get(gop) + Math.round(sinceKeyframe * 1000));
                        if (lastFrame != null) out.add(seenAt - lastFrame.getValue());
                    }
                }
                long lastWhole = -1;
                Matcher s = SEGMENT.matcher(r.body());
                while (s.find()) lastWhole = Math.max(lastWhole, Long.parseLong(s.group(1)));
                if (lastMsn < 0) {
                    Thread.sleep(100); // no parts yet
                } else if (lastWhole >= lastMsn) {
                    nextMsn = lastWhole + 1; // the segment of the last part is whole: the next one starts with part 0
                    nextPart = 0;
                } else {
                    nextMsn = lastMsn;
                    nextPart = lastPart + 1;
                }
            } catch (Exception e) {
                if (!publisher.isAlive()) return;
            }
        }
    }

    private PartLatencyBenchmark() {}
}
