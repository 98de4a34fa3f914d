package io.livestream.devstack.bench;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.PipelineFixture;
import io.livestream.devstack.SharedInfra;
import io.livestream.devstack.infra.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Segment availability against nginx-rtmp, side by side in one run (issue 13): the same pre-encoded 720p30 clip with
 * 1 s GOPs published by the ffmpeg program in real time ({@code -re -c copy}), first to nginx-rtmp writing HLS
 * ({@code hls on}, 1 s fragments, its playlist served by the same nginx), then through our edge, Kafka, the transcode
 * job (MiniCluster, the default ladder) and the origin. One poller reads each playlist every 20 ms; segment n is
 * available when it is first listed, and its media ended at the publisher at launch + the summed EXTINF durations of
 * segments 0..n (ffmpeg {@code -re} with no initial burst sends media time t at launch + t), so the figure counts everything from the
 * publisher's launch — process start, RTMP handshake, and for us the first encoder's start — the same way for both.
 * Our source rendition does what nginx-rtmp does (remux); the encoded rungs are listed beside it.
 *
 * <p>Run: {@code bench/availability-vs-nginx-rtmp.sh [seconds=40]} (needs Debian's nginx and libnginx-mod-rtmp)
 */
public final class AvailabilityVsNginxRtmpBenchmark {
    private static final long POLL_MS = 20;

    /** One rendition of one server: each segment's availability from the publisher's launch, and when it connected. */
    record Measured(List<Long> availabilities, long connectedAfterLaunchMs) {}

    /** One publish and what the poller saw of each playlist: when the publisher was launched and connected, wall ms. */
    record Run(long launchedAtMs, long connectedAtMs, Map<String, Listings> listings) {
        Measured measured(String playlist) {
            return new Measured(listings.get(playlist).availabilities(launchedAtMs), connectedAtMs - launchedAtMs);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path dir = Files.createTempDirectory("availability-vs-nginx", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path clip = dir.resolve("clip-720p.flv");
        System.out.println("encoding the 720p30 clip (1 s GOPs, 2.5 Mbit/s)...");
        List<String> encode = new ArrayList<>(FfmpegProgram.testPatternInput("1280x720", 30, seconds));
        encode.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", "2500k", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-f", "flv", clip.toString()));
        FfmpegProgram.run(encode, dir.resolve("encode.log"));
        System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());

        Map<String, Measured> byServer = new LinkedHashMap<>();
        byServer.put("nginx-rtmp (hls)", nginxRtmp(clip, dir));
        System.out.println("load average between: " + Files.readString(Path.of("/proc/loadavg")).trim());
        byServer.putAll(ours(clip, dir));

        // the ffmpeg program runs ~0.3 s ahead of its -re clock once it caught up, so medians can be negative: the
        // difference is the figure. Its -re clock starts before it connects, and its start (process, input probe) is
        // slower on a machine busy with our pipeline than beside an idle nginx: counted from the connection (the relay's
        // accept), that start is left out for both
        System.out.printf("%n| server | rendition | segments | availability from publisher launch: median | p90 | from its connection: median | p90 | median after nginx-rtmp's, from the connection |%n|---|---|---|---|---|---|---|---|%n");
        Measured nginx = byServer.get("nginx-rtmp (hls)");
        long nginxFromConnect = SegmentLatencyBenchmark.percentile(nginx.availabilities(), 50) + nginx.connectedAfterLaunchMs();
        for (var e : byServer.entrySet()) {
            Measured m = e.getValue();
            long connect = m.connectedAfterLaunchMs();
            long median = SegmentLatencyBenchmark.percentile(m.availabilities(), 50);
            long p90 = SegmentLatencyBenchmark.percentile(m.availabilities(), 90);
            String[] name = e.getKey().split(" ", 2);
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d ms | %d ms | %d ms | %d ms | %+d ms |%n", name[0], name[1], m.availabilities().size(), median,
                    p90, median + connect, p90 + connect, median + connect - nginxFromConnect);
        }
        Measured ours = byServer.get("ours source");
        System.out.printf("publisher connected after its launch: nginx-rtmp %d ms, ours %d ms%n", nginx.connectedAfterLaunchMs(), ours.connectedAfterLaunchMs());
        long oursFromConnect = SegmentLatencyBenchmark.percentile(ours.availabilities(), 50) + ours.connectedAfterLaunchMs();
        System.out.printf(Locale.ROOT, "target: our median <= 1.2x nginx-rtmp's: %s%n", nginxFromConnect > 0 && oursFromConnect > 0
                ? String.format(Locale.ROOT, "%.2fx (from the connection)", (double) oursFromConnect / nginxFromConnect)
                : "no ratio of negative figures; from the connection the source rendition is " + (oursFromConnect - nginxFromConnect) + " ms after nginx-rtmp");
        System.exit(0);
    }

    private static Measured nginxRtmp(Path clip, Path dir) throws Exception {
        Path root = dir.resolve("nginx");
        Path hls = Files.createDirectories(root.resolve("hls"));
        Files.setPosixFilePermissions(hls, PosixFilePermissions.fromString("rwxrwxrwx")); // nginx's worker runs unprivileged
        int rtmpPort = FreePorts.pick(0);
        int httpPort = FreePorts.pick(0);
        String config = NginxProcess.withRtmpModule("""
                rtmp { server { listen 127.0.0.1:%d; application live {
                    live on; hls on; hls_path %%ROOT%%/hls; hls_fragment 1s; hls_playlist_length 10s; } } }
                http { access_log off; server { listen 127.0.0.1:%d; location /hls/ { root %%ROOT%%; add_header Cache-Control no-cache; } } }
                """.formatted(rtmpPort, httpPort));
        try (NginxProcess ignored = NginxProcess.start(root, config, httpPort)) {
            warmUp(clip, "rtmp://127.0.0.1:" + rtmpPort + "/live/warmup", dir.resolve("warmup-nginx.log"));
            String playlist = "http://127.0.0.1:" + httpPort + "/hls/bench.m3u8";
            return publishAndPoll(clip, "rtmp://127.0.0.1:" + rtmpPort + "/live/bench", List.of(playlist), dir.resolve("publish-nginx.log"))
                    .measured(playlist);
        }
    }

    private static Map<String, Measured> ours(Path clip, Path dir) throws Exception {
        Map<String, Measured> result = new LinkedHashMap<>();
        SharedInfra infra = SharedInfra.get();
        try (AvailabilityHops hops = new AvailabilityHops(infra.bootstrapServers());
             PipelineFixture pipeline = new PipelineFixture(infra, "veryfast", hops::tap)) {
            warmUp(clip, pipeline.rtmpUrl(pipeline.registry().create("availability warm-up", "bench", null).streamKey()), dir.resolve("warmup-ours.log"));
            hops.reset();
            CreatedStream stream = pipeline.registry().create("availability bench", "bench", null);
            String base = pipeline.liveBaseUrl(stream.stream().id());
            List<String> renditions = List.of("source", "480p", "360p"); // the default ladder's rungs for a 720p source
            Run run = publishAndPoll(clip, pipeline.rtmpUrl(stream.streamKey()),
                    renditions.stream().map(r -> base + r + "/index.m3u8").toList(), dir.resolve("publish-ours.log"));
            for (String r : renditions) result.put("ours " + r, run.measured(base + r + "/index.m3u8"));
            printHops(renditions, r -> run.listings().get(base + r + "/index.m3u8").mediaEnds(run.launchedAtMs()), hops);
            System.out.printf("publish accepted by the edge %d ms after the publisher's launch, first keyframe at the edge after %d ms%n",
                    hops.publishAcceptedMs - run.launchedAtMs(), hops.firstKeyframeMs - run.launchedAtMs());
        }
        return result;
    }

    /**
     * Per rendition, the medians of each hop of a segment's way: the closing keyframe at the edge (from the media end at
     * the publisher's clock, as the availability counts), the edge's Kafka acknowledgement, the segment record on
     * live.media (Kafka, the transcode job, Kafka again), and the origin's listing as the poller first saw it.
     */
    private static void printHops(List<String> renditions, Function<String, Map<Long, long[]>> mediaEnds, AvailabilityHops hops) {
        System.out.printf("%n| rendition | segments | keyframe at the edge after its media end | edge's Kafka ack | segment on live.media after the keyframe at the edge | listed after live.media |%n|---|---|---|---|---|---|%n");
        for (String r : renditions) {
            List<Long> atEdge = new ArrayList<>(), acked = new ArrayList<>(), transcoded = new ArrayList<>(), listed = new ArrayList<>();
            mediaEnds.apply(r).forEach((sequence, endAndListed) -> {
                long[] h = hops.hops(r, sequence);
                if (h == null) return;
                atEdge.add(h[0] - endAndListed[0]);
                acked.add(h[1] - h[0]);
                transcoded.add(h[2] - h[0]);
                listed.add(endAndListed[1] - h[2]);
            });
            System.out.printf(Locale.ROOT, "| %s | %d | %d ms | %d ms | %d ms | %d ms |%n", r, atEdge.size(), median(atEdge), median(acked),
                    median(transcoded), median(listed));
        }
    }

    private static long median(List<Long> values) {
        return values.isEmpty() ? -1 : SegmentLatencyBenchmark.percentile(values, 50);
    }

    /**
     * A publish of the clip's first seconds before the measured one, on another stream, to both servers alike: what a
     * viewer of a running platform meets is a warm process (the first publish of a fresh JVM pays for class loading, the
     * JIT and the first use of the handshake's HMAC, of the registry's scripts, of the encoders: 350 ms from the
     * connection to the accepted publish, against 40-60 ms warm).
     */
    private static void warmUp(Path clip, String rtmpUrl, Path log) throws Exception {
        FfmpegProgram.run(List.of("-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-t", "4", "-i", clip.toString(), "-c", "copy",
                "-f", "flv", rtmpUrl), log);
        Thread.sleep(2_000);
    }

    /** Launches the publisher through a {@link TimedRelay} and polls every playlist until it ends. */
    private static Run publishAndPoll(Path clip, String rtmpUrl, List<String> playlists, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Listings> listings = new LinkedHashMap<>();
        for (String p : playlists) listings.put(p, new Listings());
        URI server = URI.create(rtmpUrl);
        try (TimedRelay relay = new TimedRelay(server.getPort())) {
            String relayed = "rtmp://127.0.0.1:" + relay.port() + server.getPath();
            long launchedAt = System.currentTimeMillis();
            Process publisher = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), List.of("-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                    "-readrate_initial_burst", "0", "-i", clip.toString(), "-c", "copy", "-f", "flv", relayed)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            while (publisher.isAlive()) {
                for (var e : listings.entrySet()) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(e.getKey())).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) e.getValue().read(r.body(), System.currentTimeMillis());
                }
                Thread.sleep(POLL_MS);
            }
            System.out.printf("publisher connected %d ms after its launch (%s)%n", relay.connectedAtMs() - launchedAt, server.getHost() + ":" + server.getPort());
            return new Run(launchedAt, relay.connectedAtMs(), listings);
        }
    }

    /** What the poller saw of one media playlist: per media sequence number its duration and when it was first listed. */
    static final class Listings {
        private final TreeMap<Long, double[]> durationAndSeen = new TreeMap<>();

        void read(String playlist, long now) {
            long sequence = 0;
            double duration = 0;
            for (String line : playlist.lines().toList()) {
                if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) sequence = Long.parseLong(line.substring(22).trim());
                else if (line.startsWith("#EXTINF:")) duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
                else if (!line.isEmpty() && !line.startsWith("#")) {
                    durationAndSeen.putIfAbsent(sequence, new double[] {duration, now});
                    sequence++;
                }
            }
        }

        /** Availability of each segment: first listed - (launch + media end). */
        List<Long> availabilities(long launchedAt) {
            return mediaEnds(launchedAt).values().stream().map(endAndListed -> endAndListed[1] - endAndListed[0]).toList();
        }

        /**
         * Per sequence number, {its media end at the publisher's clock (launch + the summed EXTINF up to it), first
         * listed}, wall ms; only from the first listed on, with no hole.
         */
        Map<Long, long[]> mediaEnds(long launchedAt) {
            Map<Long, long[]> out = new TreeMap<>();
            double mediaEndMs = 0;
            Long previous = null;
            for (var e : durationAndSeen.entrySet()) {
                if (previous != null && e.getKey() != previous + 1) break; // a missed segment: the sum would be wrong after it
                previous = e.getKey();
                mediaEndMs += e.getValue()[0] * 1000;
                out.put(e.getKey(), new long[] {Math.round(launchedAt + mediaEndMs), Math.round(e.getValue()[1])});
            }
            return out;
        }
    }

    private AvailabilityVsNginxRtmpBenchmark() {}
}
