package io.livestream.common.flv;

/**
 * Parses the headers at the start of FLV (RTMP) audio and video tag bodies, legacy and Enhanced RTMP
 * (FourCC video: hvc1, av01, vp09). Pure: bytes in, {@link FlvTagInfo} out; throws {@link IllegalArgumentException}
 * for a body too short for the header it claims.
 */
public final class FlvTags {
    public static final int TAG_AUDIO = 8;
    public static final int TAG_VIDEO = 9;
    public static final int TAG_SCRIPT = 18;

    private static final int VIDEO_CODEC_AVC = 7;
    private static final int VIDEO_CODEC_HEVC_LEGACY = 12; // the non-standard id some Chinese CDNs use
    private static final int AUDIO_FORMAT_MP3 = 2;
    private static final int AUDIO_FORMAT_AAC = 10;

    public static FlvTagInfo parseVideo(byte[] body) {
        require(body, 1);
        int b0 = body[0] & 0xFF;
        boolean keyframe = ((b0 >> 4) & 0x07) == 1;
        if ((b0 & 0x80) != 0) {
            return parseEnhancedVideo(body, b0, keyframe);
        }
        int codecId = b0 & 0x0F;
        if (codecId == VIDEO_CODEC_AVC || codecId == VIDEO_CODEC_HEVC_LEGACY) {
            require(body, 5);
            int packetType = body[1] & 0xFF;
            int cts = signed24(body, 2);
            String codec = codecId == VIDEO_CODEC_AVC ? "avc1" : "hvc1";
            return new FlvTagInfo(codec, keyframe, packetType == 0, packetType == 1 ? cts : 0, 5, packetType == 2);
        }
        return new FlvTagInfo("video-" + codecId, keyframe, false, 0, 1, false);
    }

    /** Enhanced RTMP: [1 bit ex-header][3 bits frame type][4 bits packet type][FourCC][...]. */
    private static FlvTagInfo parseEnhancedVideo(byte[] body, int b0, boolean keyframe) {
        require(body, 5);
        int packetType = b0 & 0x0F;
        String fourCc = new String(body, 1, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (packetType) {
            case 0 -> new FlvTagInfo(fourCc, keyframe, true, 0, 5, false);            // SequenceStart
            case 1 -> {                                                               // CodedFrames
                boolean hasCts = fourCc.equals("hvc1") || fourCc.equals("avc1");
                if (hasCts) require(body, 8);
                yield new FlvTagInfo(fourCc, keyframe, false, hasCts ? signed24(body, 5) : 0, hasCts ? 8 : 5, false);
            }
            case 2 -> new FlvTagInfo(fourCc, keyframe, false, 0, 5, true);            // SequenceEnd
            case 3 -> new FlvTagInfo(fourCc, keyframe, false, 0, 5, false);           // CodedFramesX: cts = 0
            // Metadata (ffmpeg sends colorInfo after the SequenceStart), MPEG2-TS sequence start, multitrack: no frame
            default -> new FlvTagInfo(fourCc, keyframe, false, 0, 5, true);
        };
    }

    public static FlvTagInfo parseAudio(byte[] body) {
        require(body, 1);
        int format = (body[0] & 0xFF) >> 4;
        if (format == AUDIO_FORMAT_AAC) {
            require(body, 2);
            return new FlvTagInfo("mp4a", true, body[1] == 0, 0, 2, false);
        }
        String codec = switch (format) {
            case AUDIO_FORMAT_MP3 -> "mp3";
            case 0, 3 -> "pcm";
            default -> "audio-" + format;
        };
        return new FlvTagInfo(codec, true, false, 0, 1, false);
    }

    private static int signed24(byte[] b, int off) {
        int v = ((b[off] & 0xFF) << 16) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
        return (v << 8) >> 8;
    }

    private static void require(byte[] body, int length) {
        if (body.length < length) {
            throw new IllegalArgumentException("FLV tag body of " + body.length + " bytes, header needs " + length);
        }
    }

    private FlvTags() {}
}
