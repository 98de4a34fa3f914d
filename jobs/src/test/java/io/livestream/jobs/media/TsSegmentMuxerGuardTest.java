package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1: the muxer's last guard. Packets the input repair would have fixed are written straight to the muxer, as an
 * encoder handing them over out of order would: the segment is still written, with rising DTS, and each raised
 * packet counted.
 */
class TsSegmentMuxerGuardTest {
    @TempDir static Path dir;

    @Test
    void equalOrBackwardsDtsAndPtsBeforeDtsAreRaisedAndCountedInsteadOfFailing() throws Exception {
        List<IngestRecord> records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "160x120", 30, 1, 30), "s1", "sess1");
        byte[] avc = records.stream().filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.VIDEO).findFirst().orElseThrow().codecConfig();
        byte[] aac = records.stream().filter(r -> r.sequenceHeader() && r.kind() == IngestRecord.Kind.AUDIO).findFirst().orElseThrow().codecConfig();
        AVCodecParameters video = avcodec_parameters_alloc();
        video.codec_type(AVMEDIA_TYPE_VIDEO).codec_id(AV_CODEC_ID_H264);
        video.extradata(FFmpegCalls.paddedCopy(avc)).extradata_size(avc.length);
        AVPacket packet = av_packet_alloc();
        byte[] segment;
        int guarded;
        int expectedGuarded;
        try (TsSegmentMuxer muxer = new TsSegmentMuxer(video, AacConfig.parse(aac))) {
            int videoFrames = 0;
            int audioFrames = 0;
            int audioNotRising = 0;
            long lastAudioDts = Long.MIN_VALUE;
            for (IngestRecord r : records) {
                if (r.sequenceHeader() || r.kind() == IngestRecord.Kind.DATA) continue;
                FlvTagInfo info = r.kind() == IngestRecord.Kind.VIDEO ? FlvTags.parseVideo(r.payload()) : FlvTags.parseAudio(r.payload());
                int size = r.payload().length - info.dataOffset();
                if (size <= 0) continue; // the AVC end-of-sequence tag
                av_new_packet(packet, size);
                packet.data().capacity(size).put(r.payload(), info.dataOffset(), size);
                long dts = r.timestampMs();
                long pts = dts;
                if (r.kind() == IngestRecord.Kind.VIDEO) {
                    videoFrames++;
                    if (videoFrames == 10) dts -= 33;          // equal to the previous frame's
                    if (videoFrames == 20) dts -= 100;         // back by three frames
                    if (videoFrames == 25) pts = dts - 10;     // before its DTS
                    packet.pts(pts).dts(dts).flags(info.keyframe() ? AV_PKT_FLAG_KEY : 0);
                    muxer.writeVideo(packet);
                } else {
                    if (++audioFrames % 3 == 0) dts -= 23;     // a burst: same ms as the frame before (or 1 ms after)
                    if (dts <= lastAudioDts) audioNotRising++;
                    lastAudioDts = Math.max(lastAudioDts, dts);
                    packet.pts(dts).dts(dts).flags(AV_PKT_FLAG_KEY);
                    muxer.writeAudio(packet);
                }
                av_packet_unref(packet);
            }
            guarded = muxer.guardedPackets();
            expectedGuarded = 3 + audioNotRising;
            assertThat(audioNotRising).isGreaterThan(5);
            segment = muxer.finish();
        } finally {
            av_packet_free(packet);
            avcodec_parameters_free(video);
        }
        assertThat(guarded).as("3 video frames and the AAC frames that did not rise").isEqualTo(expectedGuarded);

        Path file = Files.write(dir.resolve("guarded.ts"), segment);
        JsonNode packets = TestMedia.ffprobe(file, "-show_entries", "packet=codec_type,dts,pts").get("packets");
        long lastVideo = Long.MIN_VALUE;
        long lastAudio = Long.MIN_VALUE;
        int videoPackets = 0;
        for (JsonNode p : packets) {
            long dts = p.get("dts").asLong();
            assertThat(p.get("pts").asLong()).isGreaterThanOrEqualTo(dts);
            if (p.get("codec_type").asText().equals("video")) {
                assertThat(dts).isGreaterThan(lastVideo);
                lastVideo = dts;
                videoPackets++;
            } else {
                assertThat(dts).isGreaterThan(lastAudio);
                lastAudio = dts;
            }
        }
        assertThat(videoPackets).isEqualTo(30);
    }
}
