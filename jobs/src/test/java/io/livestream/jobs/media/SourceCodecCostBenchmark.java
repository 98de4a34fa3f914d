package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * What an HEVC or AV1 source costs beside an H.264 one of the same 720p30 testsrc2 content: the decoder alone (this
 * thread's CPU time) and the whole transcoder with the default ladder (the process's CPU time, every lane included;
 * for HEVC and AV1 the source rung is a 720p libx264 encode instead of a remux), per second of media, plus the
 * wall-clock real-time factor (which other load on the machine does lower). Run from the jobs test classpath:
 * {@code mvn -o -pl jobs -am test-compile} then {@code java -cp ... io.livestream.jobs.media.SourceCodecCostBenchmark [seconds] [preset]}.
 */
public final class SourceCodecCostBenchmark {
    private static final Map<String, List<String>> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("h264", List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", "3500k", "-g", "60"));
        SOURCES.put("hevc", List.of("-c:v", "libx265", "-preset", "veryfast", "-b:v", "2000k", "-g", "60",
                "-x265-params", "log-level=error"));
        SOURCES.put("av1", List.of("-c:v", "libsvtav1", "-preset", "10", "-b:v", "1500k", "-g", "60"));
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String preset = args.length > 1 ? args[1] : "veryfast";
        TranscodeSettings settings = new TranscodeSettings(Ladder.defaults(), preset, 2, 30);
        Path dir = Files.createTempDirectory("source-codec-cost");
        System.out.printf("%n| source (720p30) | decode: CPU ms per media s | transcode, default ladder: CPU s per media s | real-time factor |%n"
                + "|---|---|---|---|%n");
        for (Map.Entry<String, List<String>> source : SOURCES.entrySet()) {
            Path flv = TestMedia.generateFlv(dir, source.getKey(), "1280x720", 30, seconds, source.getValue());
            List<IngestRecord> records = TestMedia.ingestRecords(flv, "bench", "s");
            decodeCpuNs(records); // warm-up: native libraries loaded, JIT compiled, as in a running job
            double decodeMs = decodeCpuNs(records) / 1e6 / seconds;
            transcode(records, settings);
            long cpu0 = processCpuNs();
            long wall0 = System.nanoTime();
            transcode(records, settings);
            double cpu = (processCpuNs() - cpu0) / 1e9 / seconds;
            double realTime = seconds / ((System.nanoTime() - wall0) / 1e9);
            System.out.printf("| %s | %.0f | %.2f | %.2f |%n", source.getKey(), decodeMs, cpu, realTime);
        }
    }

    /** CPU time of this thread decoding every video packet (the transcoder's own demuxing of the FLV body). */
    private static long decodeCpuNs(List<IngestRecord> records) {
        IngestRecord header = records.stream().filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO)
                .reduce((a, b) -> b).orElseThrow();
        VideoCodec codec = VideoCodec.fromFourCc(header.codec());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int[] frames = {0};
        Consumer<AVFrame> count = f -> frames[0]++;
        AVPacket packet = av_packet_alloc();
        long start = threads.getCurrentThreadCpuTime();
        try (VideoDecoder decoder = new VideoDecoder(codec, header.codecConfig())) {
            for (IngestRecord r : records) {
                if (r.kind() != IngestRecord.Kind.VIDEO || r.sequenceHeader()) continue;
                FlvTagInfo info = FlvTags.parseVideo(r.payload());
                int size = r.payload().length - info.dataOffset();
                if (info.endOfSequence() || size <= 0) continue;
                av_new_packet(packet, size);
                packet.data().capacity(size).put(r.payload(), info.dataOffset(), size);
                packet.pts(r.ptsMs()).dts(r.timestampMs());
                decoder.decode(packet, count);
                av_packet_unref(packet);
            }
            decoder.flush(count);
        } finally {
            av_packet_free(packet);
        }
        if (frames[0] == 0) throw new IllegalStateException("nothing decoded");
        return threads.getCurrentThreadCpuTime() - start;
    }

    private static void transcode(List<IngestRecord> records, TranscodeSettings settings) {
        int segments = 0;
        try (StreamTranscoder t = StreamTranscoderTest.transcoderFor(records, settings)) {
            for (IngestRecord r : records) segments += t.accept(r).size();
            segments += t.finish().size();
        }
        if (segments == 0) throw new IllegalStateException("the transcoder produced no segments");
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private SourceCodecCostBenchmark() {}
}
