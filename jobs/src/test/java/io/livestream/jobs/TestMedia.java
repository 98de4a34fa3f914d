package io.livestream.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.flv.FlvFileReader;
import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/** Shared test fixtures: real FLV made by the bytedeco ffmpeg program, mapped to ingest records; ffprobe as judge. */
public final class TestMedia {
    /** An H.264 + AAC FLV of the testsrc pattern and a sine tone: keyframe every {@code gop} frames, no B-frames. */
    public static Path generateFlv(Path dir, String size, int rate, double seconds, int gop) throws IOException, InterruptedException {
        Path out = dir.resolve("test-" + size + "-" + rate + ".flv");
        if (Files.exists(out)) return out;
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        run(List.of(ffmpeg, "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=" + rate,
                "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", String.valueOf(gop), "-bf", "0",
                "-c:a", "aac", "-f", "flv", out.toString()));
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
        return switch (tag.type()) {
            case FlvTags.TAG_VIDEO -> {
                FlvTagInfo i = FlvTags.parseVideo(tag.body());
                yield new IngestRecord(streamId, sessionId, IngestRecord.Kind.VIDEO, tag.timestampMs(), i.compositionTimeMs(),
                        i.keyframe() && !i.sequenceHeader(), i.sequenceHeader(), i.codec(), tag.body());
            }
            case FlvTags.TAG_AUDIO -> {
                FlvTagInfo i = FlvTags.parseAudio(tag.body());
                yield new IngestRecord(streamId, sessionId, IngestRecord.Kind.AUDIO, tag.timestampMs(), 0,
                        false, i.sequenceHeader(), i.codec(), tag.body());
            }
            default -> new IngestRecord(streamId, sessionId, IngestRecord.Kind.DATA, tag.timestampMs(), 0, false, false, "amf0", tag.body());
        };
    }

    /** Runs ffprobe with JSON output on a file. */
    public static JsonNode ffprobe(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class), "-v", "error", "-of", "json"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        return Json.MAPPER.readTree(run(cmd));
    }

    private static byte[] run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        // the programs sit next to the libraries they link (libva etc.) in JavaCPP's cache, without an rpath to them
        builder.environment().put("LD_LIBRARY_PATH", Path.of(cmd.get(0)).getParent().toString());
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + String.join(" ", cmd));
        }
        return out;
    }

    private TestMedia() {}
}
