package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;

/**
 * The source video codecs the transcoder decodes, by their (Enhanced) RTMP FourCC. Every one is transcoded into the
 * H.264 ladder; only H.264 is also passed through as the source rendition (HEVC and AV1 would make a ladder of mixed
 * codecs that many players cannot switch across, and MPEG-TS cannot carry AV1), so for the others the source rung is
 * an H.264 encode at the source size.
 */
public enum VideoCodec {
    /** AVCC packets (length-prefixed NAL units), the AVCDecoderConfigurationRecord as extradata. */
    H264("avc1", AV_CODEC_ID_H264, null),
    /** Length-prefixed NAL units like AVCC, the HEVCDecoderConfigurationRecord of the SequenceStart as extradata. */
    HEVC("hvc1", AV_CODEC_ID_HEVC, null),
    /**
     * Low-overhead OBU streams, the AV1CodecConfigurationRecord (av1C) as extradata. The bundled FFmpeg has no
     * libdav1d, and its native "av1" decoder only drives a hardware accelerator; libaom's decoder is the software one.
     */
    AV1("av01", AV_CODEC_ID_AV1, "libaom-av1");

    private final String fourCc;
    private final int ffmpegId;
    private final String decoderName;

    VideoCodec(String fourCc, int ffmpegId, String decoderName) {
        this.fourCc = fourCc;
        this.ffmpegId = ffmpegId;
        this.decoderName = decoderName;
    }

    /** The codec of a FourCC as {@code IngestRecord.codec()} names it, or null for one not decoded here (vp09, ...). */
    public static VideoCodec fromFourCc(String fourCc) {
        for (VideoCodec c : values()) {
            if (c.fourCc.equals(fourCc)) return c;
        }
        return null;
    }

    public String fourCc() {
        return fourCc;
    }

    /** Whether the source rendition is the source's own packets (else an H.264 encode at the source size). */
    public boolean passesThrough() {
        return this == H264;
    }

    int ffmpegId() {
        return ffmpegId;
    }

    /** The FFmpeg decoder to open by name, or null for the build's default decoder of {@link #ffmpegId()}. */
    String decoderName() {
        return decoderName;
    }
}
