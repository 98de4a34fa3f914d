package io.livestream.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.flv.FlvFileReader;
import io.livestream.common.ingest.FlvIngest;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared test fixtures: real FLV made by the bytedeco ffmpeg program, mapped to ingest records; ffprobe as judge. */
public final class TestMedia {
    /** An H.264 + AAC FLV of the testsrc pattern and a sine tone: keyframe every {@code gop} frames, no B-frames. */
    public static Path generateFlv(Path dir, String size, int rate, double seconds, int gop) throws IOException, InterruptedException {
        Path out = dir.resolve("test-" + size + "-" + rate + ".flv");
        if (Files.exists(out)) return out;
        run(List.of(FfmpegProgram.ffmpeg(), "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=" + rate,
                "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", String.valueOf(gop), "-bf", "0",
                "-c:a", "aac", "-f", "flv", out.toString()));
        return out;
    }

    /**
     * A FLV of the same pattern and tone with the video encoded by {@code videoArgs} (e.g. {@code -c:v libx265}):
     * ffmpeg 8's flv muxer writes HEVC and AV1 as Enhanced RTMP, as it publishes them. Named {@code name}.flv.
     */
    public static Path generateFlv(Path dir, String name, String size, int rate, double seconds, List<String> videoArgs)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".flv");
        if (Files.exists(out)) return out;
        List<String> cmd = new ArrayList<>(List.of(FfmpegProgram.ffmpeg(), "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=" + rate,
                "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", String.valueOf(seconds), "-pix_fmt", "yuv420p"));
        cmd.addAll(videoArgs);
        cmd.addAll(List.of("-c:a", "aac", "-f", "flv", out.toString()));
        run(cmd);
        return out;
    }

    /** The FLV's tags as the RTMP edge would have produced them. */
    public static List<IngestRecord> ingestRecords(Path flv, String streamId, String sessionId) throws IOException {
        List<IngestRecord> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(flv); FlvFileReader reader = new FlvFileReader(in)) {
            for (FlvFileReader.Tag tag = reader.next(); tag != null; tag = reader.next()) {
                records.add(toIngest(tag, streamId, sessionId));
            }
        }
        return records;
    }

    static IngestRecord toIngest(FlvFileReader.Tag tag, String streamId, String sessionId) {
        return FlvIngest.fromTag(streamId, sessionId, tag.type(), tag.timestampMs(), tag.body());
    }

    /** Runs ffprobe with JSON output on a file. */
    public static JsonNode ffprobe(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(FfmpegProgram.ffprobe(), "-v", "error", "-of", "json"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        return Json.MAPPER.readTree(run(cmd));
    }

    private static byte[] run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder builder = FfmpegProgram.builder(cmd.get(0), cmd.subList(1, cmd.size())).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + String.join(" ", cmd));
        }
        return out;
    }

    private TestMedia() {}
}
