package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 2 end to end: while a clean stream is live, a second publisher sends H.264 and AAC whose payloads
 * are corrupt (ffmpeg's noise bit-stream filter: about one byte in 300 changed, one packet in 25 dropped; the FLV
 * framing intact, so the edge accepts it all) through the real edge -> Kafka -> transcode job -> Kafka -> origin.
 * The JVM (edge, Flink MiniCluster, origin in one process) survives, and the clean stream is untouched: its segments
 * keep coming, one per GOP, from one transcoder session, and the origin serves its playlists throughout.
 */
class HostileMediaEndToEndTest {
    private static final int CLEAN_SECONDS = 20;
    private static final int CORRUPT_SECONDS = 15;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PipelineFixture pipeline;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = new PipelineFixture(SharedInfra.get(), "ultrafast", sink -> sink);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aCorruptStreamLeavesTheJvmAndTheCleanStreamAlone() throws Exception {
        Path clean = flv("clean", CLEAN_SECONDS, "testsrc2");
        Path corrupt = tmp.resolve("corrupt.flv");
        ffmpeg(List.of("-i", flv("source", CORRUPT_SECONDS, "mandelbrot").toString(), "-c", "copy",
                "-bsf:v", "noise=amount=300:dropamount=25", "-bsf:a", "noise=amount=300", "-f", "flv", corrupt.toString()));
        assertThat(Files.mismatch(corrupt, tmp.resolve("source.flv"))).as("the noise filter changed the file").isNotEqualTo(-1L);

        CreatedStream cleanStream = pipeline.registry().create("clean", "b1", null);
        CreatedStream corruptStream = pipeline.registry().create("corrupt", "b2", null);
        String cleanId = cleanStream.stream().id();
        Process cleanPublisher = publish(clean, cleanStream.streamKey(), "clean");
        Thread.sleep(3_000); // the clean stream is live first
        Process corruptPublisher = publish(corrupt, corruptStream.streamKey(), "corrupt");
        try {
            // the origin serves the clean stream's playlist all along
            long until = System.currentTimeMillis() + (CORRUPT_SECONDS + 2) * 1000L;
            int served = 0;
            while (System.currentTimeMillis() < until) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.liveBaseUrl(cleanId) + "master.m3u8")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) served++;
                Thread.sleep(1_000);
            }
            assertThat(served).as("master playlist answers while the corrupt stream is transcoded").isGreaterThanOrEqualTo(CORRUPT_SECONDS - 5);
            assertThat(cleanPublisher.waitFor(CLEAN_SECONDS + 30, TimeUnit.SECONDS)).as("the clean publish ends").isTrue();
            assertThat(corruptPublisher.waitFor(30, TimeUnit.SECONDS)).as("the corrupt publish ends").isTrue();
        } finally {
            cleanPublisher.destroyForcibly();
            corruptPublisher.destroyForcibly();
        }

        String bootstrap = SharedInfra.get().bootstrapServers();
        Map<String, List<MediaRecord>> segments = Map.of();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            segments = segmentsByRendition(bootstrap, cleanId);
            if (segments.size() == 2 && segments.values().stream().allMatch(l -> l.size() >= CLEAN_SECONDS - 2)) break;
            Thread.sleep(1_000);
        }
        assertThat(segments.keySet()).containsExactly("360p", "source");
        for (Map.Entry<String, List<MediaRecord>> e : segments.entrySet()) {
            List<MediaRecord> list = e.getValue();
            assertThat(list).as("%s: one segment per 1 s GOP of the clean stream", e.getKey()).hasSizeBetween(CLEAN_SECONDS - 2, CLEAN_SECONDS + 1);
            assertThat(list).as("%s: one transcoder session, never restarted", e.getKey()).noneMatch(MediaRecord::discontinuity);
            assertThat(list).extracting(MediaRecord::sessionId).containsOnly(list.get(0).sessionId());
            for (int i = 0; i < list.size(); i++) assertThat(list.get(i).sequence()).as("%s: no gap", e.getKey()).isEqualTo(i);
        }
        Map<String, List<MediaRecord>> corruptSegments = segmentsByRendition(bootstrap, corruptStream.stream().id());
        System.out.printf("corrupt stream: segments per rendition %s, discontinuities %d%n",
                corruptSegments.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, x -> x.getValue().size(), (a, b) -> a, TreeMap::new)),
                corruptSegments.values().stream().flatMap(List::stream).filter(MediaRecord::discontinuity).count());
    }

    private static Map<String, List<MediaRecord>> segmentsByRendition(String bootstrap, String id) {
        return TopicReader.readKey(bootstrap, Topics.MEDIA, id).stream().map(MediaRecordCodec::fromConsumerRecord)
                // each segment goes out in both containers with the same number: count the MPEG-TS ones
                .filter(m -> m.type() == MediaRecord.Type.SEGMENT && m.container() == MediaRecord.Container.TS)
                .collect(Collectors.groupingBy(MediaRecord::rendition, TreeMap::new, Collectors.toList()));
    }

    /** 854x480 at 15 fps, a keyframe a second, AAC: the ladder is the source and 360p, so the corrupt video is decoded. */
    private static Path flv(String name, int seconds, String pattern) throws Exception {
        Path out = tmp.resolve(name + ".flv");
        ffmpeg(List.of("-f", "lavfi", "-i", pattern + "=size=854x480:rate=15", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-bf", "0",
                "-c:a", "aac", "-f", "flv", out.toString()));
        return out;
    }

    private static Process publish(Path flv, String key, String name) throws Exception {
        return FfmpegProgram.builder(FfmpegProgram.ffmpeg(), List.of("-v", "error", "-re", "-i", flv.toString(), "-c", "copy", "-f", "flv",
                pipeline.rtmpUrl(key))).redirectErrorStream(true).redirectOutput(tmp.resolve(name + "-publish.log").toFile()).start();
    }

    private static void ffmpeg(List<String> args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("-v", "error", "-y"));
        all.addAll(args);
        Process p = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), all).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("ffmpeg %s: %s", args, output).isTrue();
    }
}
