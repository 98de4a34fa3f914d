package io.livestream.devstack.bench;

import io.livestream.common.flv.FlvFileReader;
import io.livestream.common.ingest.FlvIngest;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.jobs.media.Ladder;
import io.livestream.jobs.media.Rung;
import io.livestream.jobs.media.StreamTranscoder;
import io.livestream.jobs.media.TranscodeSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sustained real-time factor of the transcoder (the work the Flink operator does per stream: decode, scale, libx264
 * for every rung, MPEG-TS muxing, source remux) for a 1080p30 and a 720p30 source with the full default ladder,
 * side by side with the ffmpeg program producing the same ladder in one process with the same encoder settings.
 * Real-time factor = media seconds / wall seconds, fed as fast as possible; ours / ffmpeg is the ratio.
 *
 * <p>Run: {@code bench/transcode.sh [720,1080] [20] [veryfast] [ladder, default source,720p:2800,480p:1400,360p:800]}
 */
public final class TranscodeBenchmark {
    public static void main(String[] args) throws Exception {
        String[] heights = (args.length > 0 ? args[0] : "720,1080").split(",");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String preset = args.length > 2 ? args[2] : "veryfast";
        Ladder ladder = args.length > 3 ? Ladder.parse(args[3]) : Ladder.defaults();
        int threads = 2; // ours: for full-HD rungs, smaller ones one each (TranscodeSettings.encoderThreadsFor)
        Path dir = Files.createTempDirectory("transcode-bench");
        System.out.printf("%n| source | ladder | ours: real-time factor | ffmpeg, every rung from the source, 2 threads each | ffmpeg, cascaded as ours, 1 thread each "
                + "| ours / ffmpeg | ours / cascaded ffmpeg |%n|---|---|---|---|---|---|---|%n");
        for (String h : heights) {
            int height = Integer.parseInt(h.trim());
            int width = height * 16 / 9;
            Path clip = makeSource(height, seconds, dir);

            List<Rung> rungs = ladder.rungsFor(height);
            TranscodeSettings settings = new TranscodeSettings(ladder, preset, threads, 30);
            oursSeconds(clip, settings); // warm-up: native libraries loaded, JIT compiled, as in a running job
            double ours = seconds / oursSeconds(clip, settings);
            double ffmpeg = seconds / ffmpegSeconds(clip, rungs, preset, threads, false, dir);
            double cascaded = seconds / ffmpegSeconds(clip, rungs, preset, 1, true, dir);
            System.out.printf("| %dx%d p30 | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", width, height,
                    String.join(", ", rungs.stream().map(Rung::name).toList()), ours, ffmpeg, cascaded, ours / ffmpeg, ours / cascaded);
        }
    }

    /** A testsrc2 + sine source of 16:9 {@code height}p30, 2 s GOPs with B-frames (libx264 veryfast), as FLV. */
    static Path makeSource(int height, int seconds, Path dir) throws Exception {
        int width = height * 16 / 9;
        Path clip = dir.resolve("src-" + height + ".flv");
        List<String> make = new ArrayList<>(FfmpegProgram.testPatternInput(width + "x" + height, 30, seconds));
        make.set(make.indexOf("testsrc=size=" + width + "x" + height + ":rate=30"), "testsrc2=size=" + width + "x" + height + ":rate=30");
        make.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", height >= 1080 ? "6000k" : "3500k",
                "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-y", clip.toString()));
        FfmpegProgram.run(make, dir.resolve("make-" + height + ".log"));
        return clip;
    }

    private static double oursSeconds(Path clip, TranscodeSettings settings) throws Exception {
        List<IngestRecord> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(clip); FlvFileReader reader = new FlvFileReader(in)) {
            for (FlvFileReader.Tag tag = reader.next(); tag != null; tag = reader.next()) {
                IngestRecord r = FlvIngest.fromTag("bench", "s", tag.type(), tag.timestampMs(), tag.body());
                if (r != null) records.add(r);
            }
        }
        byte[] avc = null;
        byte[] aac = null;
        for (IngestRecord r : records) {
            if (r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO && avc == null) avc = r.codecConfig();
            if (r.sequenceHeader() && r.kind() == IngestRecord.Kind.AUDIO && aac == null) aac = r.codecConfig();
        }
        long start = System.nanoTime();
        int segments = 0;
        try (StreamTranscoder transcoder = new StreamTranscoder("bench", settings, avc, aac)) {
            for (IngestRecord r : records) segments += transcoder.accept(r).size();
            segments += transcoder.finish().size();
        }
        if (segments == 0) throw new IllegalStateException("the transcoder produced no segments");
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * One ffmpeg process making the ladder: the source remuxed, every encoded rung scaled (bilinear) and encoded with
     * {@code threads} libx264 threads, all muxed to MPEG-TS. Each rung is scaled from the source (the command a user
     * would write: {@code split}, then a {@code scale} per rung) or, {@code cascaded}, from the next larger rung (a chain
     * of {@code scale} and {@code split}: what ours does since issue 13).
     */
    static double ffmpegSeconds(Path clip, List<Rung> rungs, String preset, int threads, boolean cascaded, Path dir) throws Exception {
        List<Rung> encoded = rungs.stream().filter(r -> !r.passthrough())
                .sorted(java.util.Comparator.comparingInt(Rung::height).reversed()).toList();
        if (encoded.isEmpty()) return Double.NaN; // nothing to compare: the source rung alone is a remux
        StringBuilder filter = new StringBuilder();
        if (cascaded) {
            // [0:v]scale=720,split=2[v0][c0];[c0]scale=480,split=2[v1][c1];[c1]scale=360[v2]
            for (int i = 0; i < encoded.size(); i++) {
                filter.append(i == 0 ? "[0:v]" : ";[c" + (i - 1) + "]").append("scale=-2:").append(encoded.get(i).height()).append(":flags=bilinear");
                filter.append(i == encoded.size() - 1 ? "[v" + i + "]" : ",split=2[v" + i + "][c" + i + "]");
            }
        } else {
            filter.append("[0:v]split=").append(encoded.size());
            for (int i = 0; i < encoded.size(); i++) filter.append("[s").append(i).append(']');
            for (int i = 0; i < encoded.size(); i++) {
                filter.append(";[s").append(i).append("]scale=-2:").append(encoded.get(i).height()).append(":flags=bilinear[v").append(i).append(']');
            }
        }
        List<String> cmd = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1",
                "-i", clip.toString(), "-filter_complex", filter.toString()));
        if (rungs.stream().anyMatch(Rung::passthrough)) {
            cmd.addAll(List.of("-map", "0:v", "-map", "0:a", "-c", "copy", "-f", "mpegts", "-y", "/dev/null"));
        }
        for (int i = 0; i < encoded.size(); i++) {
            String kbps = encoded.get(i).bitrateKbps() + "k";
            cmd.addAll(List.of("-map", "[v" + i + "]", "-map", "0:a", "-c:v", "libx264", "-preset", preset, "-tune", "zerolatency",
                    "-b:v", kbps, "-maxrate", kbps, "-bufsize", kbps, "-threads", String.valueOf(threads), "-bf", "0",
                    "-x264-params", "scenecut=0:open-gop=0", "-force_key_frames", "source", "-c:a", "copy",
                    "-f", "mpegts", "-y", "/dev/null"));
        }
        long start = System.nanoTime();
        Process p = FfmpegProgram.builder(FfmpegProgram.ffmpeg(), cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg-ladder.log").toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg ladder failed: " + Files.readString(dir.resolve("ffmpeg-ladder.log")));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private TranscodeBenchmark() {}
}
