package io.livestream.origin.dvr;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.store.SegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real MPEG-TS segments (from the ffmpeg program) recorded and served as VOD; the real ffprobe reads them back. */
class VodPlaybackTest {
    @TempDir
    Path tmp;

    @Test
    void aRecordedSessionPlaysAsVodInFfprobe() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        List<String> args = new ArrayList<>(FfmpegProgram.testPatternInput("320x240", 30, 6));
        args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "segment", "-segment_time", "2", "-segment_format", "mpegts",
                source.resolve("%d.ts").toString()));
        FfmpegProgram.run(args, tmp.resolve("ffmpeg.log"));

        RecordingStore recordings = new RecordingStore(DvrConfig.defaults().withDirectory(tmp.resolve("recordings")));
        for (String rendition : List.of("360p", "source")) {
            for (int seq = 0; seq < 3; seq++) {
                recordings.onMediaRecord(new MediaRecord("stream1", "sess1", rendition, MediaRecord.Type.SEGMENT, seq, -1, 2.0, seq * 2000L,
                        true, false, "avc1.42c00d,mp4a.40.2", 320, 240, 30, 500_000, System.currentTimeMillis(),
                        Files.readAllBytes(source.resolve(seq + ".ts"))));
            }
        }
        recordings.onMediaRecord(new MediaRecord("stream1", "sess1", "*", MediaRecord.Type.END, 0, -1, 0, 0, false, false,
                null, 0, 0, 0, 0, 0, null));

        try (OriginServer server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), new SegmentStore(),
                new DvrResources(recordings).routes())) {
            String base = "http://127.0.0.1:" + server.start();
            for (String rendition : List.of("360p", "source")) {
                String playlist = base + "/vod/sess1/" + rendition + "/index.m3u8";
                assertThat(probeDuration(playlist)).as(rendition).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.5));
            }
            assertThat(probeDuration(base + "/vod/sess1/master.m3u8")).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.5));
            assertThat(probeDuration(base + "/dvr/stream1/360p/index.m3u8")).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.5));
        }
    }

    private double probeDuration(String url) throws Exception {
        Path log = tmp.resolve("ffprobe.log");
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(), List.of("-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", url)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log).trim();
        assertThat(p.exitValue()).as(out).isZero();
        return Double.parseDouble(out.lines().reduce((a, b) -> b).orElseThrow());
    }
}
