package io.livestream.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * The real ffmpeg and ffprobe programs shipped in the org.bytedeco ffmpeg jar, for tests and benchmarks of every
 * module (this class is in common's test-jar). No system ffmpeg is needed.
 */
public final class FfmpegProgram {
    private FfmpegProgram() {}

    public static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    public static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** A process builder for {@code program args...} that can find the libraries unpacked beside the program. */
    public static ProcessBuilder builder(String program, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // the programs need the libva/libdrm the jar unpacks beside them, which the loader does not put on their path
        builder.environment().put("LD_LIBRARY_PATH", Path.of(program).getParent().toString());
        return builder;
    }

    /** The arguments of an H.264 + AAC test pattern (testsrc + sine) of the given size, rate and length. */
    public static List<String> testPatternInput(String size, int fps, double seconds) {
        return List.of("-hide_banner", "-nostdin", "-loglevel", "warning",
                "-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=" + fps,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(seconds));
    }

    /** Publishes a test pattern in real time ({@code -re}) to an RTMP URL; output goes to {@code log}. */
    public static Process publishTestPattern(String rtmpUrl, String size, int fps, double seconds, Path log) throws IOException {
        return publishTestPattern(rtmpUrl, size, fps, seconds, List.of("-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", String.valueOf(fps), "-bf", "0"), log);
    }

    /**
     * Publishes a test pattern in real time with the video encoded by {@code videoArgs} (e.g. {@code -c:v libx265}:
     * ffmpeg 8's flv muxer sends HEVC and AV1 as Enhanced RTMP) and AAC audio; output goes to {@code log}.
     */
    public static Process publishTestPattern(String rtmpUrl, String size, int fps, double seconds, List<String> videoArgs, Path log)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("-re"));
        args.addAll(testPatternInput(size, fps, seconds));
        args.addAll(videoArgs);
        args.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "flv", rtmpUrl));
        return builder(ffmpeg(), args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs ffmpeg with {@code args} to completion; fails with its output if it does not exit 0. */
    public static void run(List<String> args, Path log) throws IOException, InterruptedException {
        Process p = builder(ffmpeg(), args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ffmpeg timed out: " + args);
        }
        if (p.exitValue() != 0) {
            throw new IOException("ffmpeg exit " + p.exitValue() + ": " + Files.readString(log));
        }
    }
}
