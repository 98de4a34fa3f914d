package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * What muxing costs beside encoding: the CPU time (this thread's, so other load on the machine does not count) of
 * muxing a 720p30 + AAC stream as MPEG-TS (a muxer per 1 s segment, a cut every 0.33 s) and as CMAF fMP4 (one muxer,
 * a fragment every 0.33 s), per second of media. Run: {@code bench/run-bench.sh}-style, from the jobs test classpath:
 * {@code mvn -o -pl jobs -am test-compile} then {@code java -cp ... io.livestream.jobs.media.MuxCostBenchmark [seconds]}.
 */
public final class MuxCostBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("mux-cost");
        List<IngestRecord> records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "1280x720", 30, seconds, 30), "s", "x");
        byte[] avc = records.stream().filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO).findFirst().orElseThrow().codecConfig();
        AacConfig aac = AacConfig.parse(records.stream().filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.AUDIO).findFirst().orElseThrow().codecConfig());
        AVCodecParameters video = avcodec_parameters_alloc();
        video.codec_type(AVMEDIA_TYPE_VIDEO).codec_id(AV_CODEC_ID_H264).width(1280).height(720);
        video.extradata(FFmpegCalls.paddedCopy(avc)).extradata_size(avc.length);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) { // the first round warms up
            long tsNs = 0;
            long fmp4Ns = 0;
            long tsBytes = 0;
            long fmp4Bytes = 0;
            AVPacket packet = av_packet_alloc();
            TsSegmentMuxer ts = null;
            try (Fmp4Muxer fmp4 = new Fmp4Muxer(video, aac)) {
                int frames = 0;
                for (IngestRecord r : records) {
                    if (r.sequenceHeader() || r.kind() == IngestRecord.Kind.DATA) continue;
                    boolean isVideo = r.kind() == IngestRecord.Kind.VIDEO;
                    FlvTagInfo info = isVideo ? FlvTags.parseVideo(r.payload()) : FlvTags.parseAudio(r.payload());
                    int size = r.payload().length - info.dataOffset();
                    if (size <= 0) continue;
                    av_new_packet(packet, size);
                    packet.data().capacity(size).put(r.payload(), info.dataOffset(), size);
                    packet.pts(r.timestampMs() + (isVideo ? info.compositionTimeMs() : 0)).dts(r.timestampMs())
                            .flags(!isVideo || info.keyframe() ? AV_PKT_FLAG_KEY : 0);
                    long t0 = cpu.getCurrentThreadCpuTime();
                    if (isVideo && frames % 10 == 0 && ts != null) tsBytes += ts.takeWritten().length;
                    if (isVideo && info.keyframe()) {
                        if (ts != null) tsBytes += ts.finish().length - ts.taken();
                        ts = new TsSegmentMuxer(video, aac);
                    }
                    if (ts != null) {
                        if (isVideo) ts.writeVideo(packet);
                        else ts.writeAudio(packet);
                    }
                    long t1 = cpu.getCurrentThreadCpuTime();
                    if (isVideo && frames % 10 == 0) fmp4Bytes += fmp4.takeFragment().length;
                    if (isVideo) fmp4.writeVideo(packet);
                    else fmp4.writeAudio(packet);
                    long t2 = cpu.getCurrentThreadCpuTime();
                    tsNs += t1 - t0;
                    fmp4Ns += t2 - t1;
                    if (isVideo) frames++;
                    av_packet_unref(packet);
                }
                fmp4Bytes += fmp4.takeFragment().length;
            } finally {
                if (ts != null) ts.close();
                av_packet_free(packet);
            }
            System.out.printf("round %d: %d s of 720p30 media: MPEG-TS %.2f ms CPU per media second (%d KB), fMP4 %.2f ms (%d KB)%n", round,
                    seconds, tsNs / 1e6 / seconds, tsBytes / 1024, fmp4Ns / 1e6 / seconds, fmp4Bytes / 1024);
        }
        avcodec_parameters_free(video);
    }
}
