package io.livestream.devstack.bench;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.PipelineFixture;
import io.livestream.devstack.SharedInfra;
import io.livestream.jobs.media.Ladder;
import io.livestream.jobs.media.Rung;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The transcode end to end against the ffmpeg program, in one run (issue 13): the same 1080p30 clip to the same
 * ladder (the source copied, 720p, 480p and 360p encoded with libx264 veryfast zerolatency), once by one ffmpeg
 * process reading the file, once by our whole pipeline: the ffmpeg program publishes the clip with {@code -c copy} as
 * fast as the edge takes it, the edge writes it to Kafka, the transcode job (MiniCluster) encodes the ladder and the
 * origin lists every rung; the time runs from the publisher's launch to the last rendition's {@code EXT-X-ENDLIST}.
 * The overload policy is off ({@code catch-up-lag-ms 0}): a clip sent faster than real time would otherwise be
 * "behind live" and skipped. The same clip is sent once before, as a warm-up (native libraries loaded, and the JIT
 * done with the edge's, Kafka's, Flink's and the origin's code: on a fresh JVM the compiler threads took a third of the
 * CPU of the first run), as in a platform that has been running; the ffmpeg program gets no warm-up.
 * Ratio = ffmpeg's wall time / ours: above 1 we are faster.
 *
 * <p>Run: {@code bench/transcode-e2e.sh [seconds=30] [height=1080]}
 */
public final class TranscodePipelineBenchmark {
    /** libx264 threads of a full-HD rung, as in production (smaller rungs one each); ffmpeg's rungs get them all. */
    private static final int ENCODER_THREADS = 2;
    private static final int WARM_UPS = Integer.getInteger("bench.warmUps", 1);

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int height = args.length > 1 ? Integer.parseInt(args[1]) : 1080;
        Path dir = Files.createTempDirectory("transcode-e2e");
        System.out.printf("encoding the %d s %dp30 clip...%n", seconds, height);
        Path clip = TranscodeBenchmark.makeSource(height, seconds, dir);
        List<Rung> rungs = Ladder.defaults().rungsFor(height);
        System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());

        double ffmpeg = TranscodeBenchmark.ffmpegSeconds(clip, rungs, "veryfast", ENCODER_THREADS, false, dir);
        double cascaded = TranscodeBenchmark.ffmpegSeconds(clip, rungs, "veryfast", 1, true, dir);
        System.out.printf(Locale.ROOT, "ffmpeg program: %.2f s, cascaded as ours: %.2f s%n", ffmpeg, cascaded);
        System.out.println("load average between: " + Files.readString(Path.of("/proc/loadavg")).trim());

        double ours;
        try (PipelineFixture pipeline = new PipelineFixture(SharedInfra.get(), "veryfast", sink -> sink,
                Map.of("catch-up-lag-ms", "0", "encoder-threads", String.valueOf(ENCODER_THREADS)))) {
            for (int i = 1; i <= WARM_UPS; i++) {
                double warmUp = publishUntilEveryRenditionEnds(pipeline, clip, rungs, dir.resolve("publish-warm-up-" + i + ".log"));
                System.out.printf(Locale.ROOT, "warm-up %d: the same clip, %.2f s%n", i, warmUp);
            }
            ours = publishUntilEveryRenditionEnds(pipeline, clip, rungs, dir.resolve("publish.log"));
        }
        System.out.printf(Locale.ROOT, "%n| %ds %dp30 → %s | wall time | real-time factor |%n|---|---|---|%n", seconds, height,
                String.join(" + ", rungs.stream().map(Rung::name).toList()));
        System.out.printf(Locale.ROOT, "| the ffmpeg program, one process (every rung scaled from the source, 2 libx264 threads each) | %.2f s | %.2f |%n",
                ffmpeg, seconds / ffmpeg);
        System.out.printf(Locale.ROOT, "| the ffmpeg program, cascaded as ours (each rung from the next larger, 1 thread each) | %.2f s | %.2f |%n",
                cascaded, seconds / cascaded);
        System.out.printf(Locale.ROOT, "| ours: edge → Kafka → transcode job → origin | %.2f s | %.2f |%n", ours, seconds / ours);
        System.out.printf(Locale.ROOT, "ours / ffmpeg (speed): %.2fx (target >= 1.0x); ours / cascaded ffmpeg: %.2fx%n", ffmpeg / ours, cascaded / ours);
        System.exit(0);
    }

    /** Publishes the clip as fast as the edge takes it; seconds from launch until every rendition's playlist has ended. */
    private static double publishUntilEveryRenditionEnds(PipelineFixture pipeline, Path clip, List<Rung> rungs, Path log) throws Exception {
        CreatedStream stream = pipeline.registry().create("transcode e2e", "bench", null);
        String base = pipeline.liveBaseUrl(stream.stream().id());
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Long> endedAt = new HashMap<>();
        long launched = System.nanoTime();
        Process publisher = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), List.of("-hide_banner", "-nostdin", "-loglevel", "warning",
                "-i", clip.toString(), "-c", "copy", "-f", "flv", pipeline.rtmpUrl(stream.streamKey())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = launched + TimeUnit.MINUTES.toNanos(10);
        while (endedAt.size() < rungs.size()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not every rendition ended within 10 minutes: " + endedAt.keySet());
            for (Rung rung : rungs) {
                if (endedAt.containsKey(rung.name())) continue;
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + rung.name() + "/index.m3u8")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("#EXT-X-ENDLIST")) endedAt.put(rung.name(), System.nanoTime());
            }
            Thread.sleep(50);
        }
        publisher.waitFor(10, TimeUnit.SECONDS);
        if (publisher.exitValue() != 0) throw new IllegalStateException("the publisher failed: " + Files.readString(log));
        return (endedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() - launched) / 1e9;
    }

    private TranscodePipelineBenchmark() {}
}
