package io.livestream.jobs.media;

/**
 * The coded picture size an H.264 SPS (ITU-T H.264 7.3.2.1.1) declares, cropping applied: what the mp4 muxer needs
 * for the track header before the first frame has been decoded. Pure.
 */
record AvcPictureSize(int width, int height) {

    /** From an SPS NAL unit (header byte included, emulation prevention bytes still in). */
    static AvcPictureSize fromSps(byte[] nal, int offset, int length) {
        Bits b = new Bits(unescape(nal, offset + 1, length - 1));
        int profile = b.u(8);
        b.u(8); // constraint flags
        b.u(8); // level
        b.ue(); // seq_parameter_set_id
        int chromaFormat = 1;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83 || profile == 86
                || profile == 118 || profile == 128 || profile == 138 || profile == 139 || profile == 134 || profile == 135) {
            chromaFormat = b.ue();
            if (chromaFormat == 3) b.u(1); // separate_colour_plane_flag
            b.ue(); // bit_depth_luma_minus8
            b.ue(); // bit_depth_chroma_minus8
            b.u(1); // qpprime_y_zero_transform_bypass_flag
            if (b.u(1) == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                    if (b.u(1) == 1) skipScalingList(b, i < 6 ? 16 : 64);
                }
            }
        }
        b.ue(); // log2_max_frame_num_minus4
        int pocType = b.ue();
        if (pocType == 0) {
            b.ue();
        } else if (pocType == 1) {
            b.u(1);
            b.se();
            b.se();
            int cycle = b.ue();
            for (int i = 0; i < cycle; i++) b.se();
        }
        b.ue(); // max_num_ref_frames
        b.u(1); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = b.ue() + 1;
        int heightInMapUnits = b.ue() + 1;
        int frameMbsOnly = b.u(1);
        if (frameMbsOnly == 0) b.u(1); // mb_adaptive_frame_field_flag
        b.u(1); // direct_8x8_inference_flag
        int width = widthInMbs * 16;
        int height = (2 - frameMbsOnly) * heightInMapUnits * 16;
        if (b.u(1) == 1) { // frame_cropping_flag
            int left = b.ue(), right = b.ue(), top = b.ue(), bottom = b.ue();
            int cropX = chromaFormat == 0 || chromaFormat == 3 ? 1 : 2;
            int cropY = (chromaFormat == 1 ? 2 : 1) * (2 - frameMbsOnly);
            width -= cropX * (left + right);
            height -= cropY * (top + bottom);
        }
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("SPS declares " + width + "x" + height);
        return new AvcPictureSize(width, height);
    }

    /** From the first SPS of an AVCDecoderConfigurationRecord (avcC). */
    static AvcPictureSize fromDecoderConfigurationRecord(byte[] avcC) {
        if (avcC.length < 8 || avcC[0] != 1 || (avcC[5] & 0x1F) == 0) throw new IllegalArgumentException("no SPS in avcC");
        int length = ((avcC[6] & 0xFF) << 8) | (avcC[7] & 0xFF);
        if (8 + length > avcC.length) throw new IllegalArgumentException("truncated SPS in avcC");
        return fromSps(avcC, 8, length);
    }

    /** From H.264 extradata in either form: avcC, or Annex-B parameter sets. */
    static AvcPictureSize fromExtradata(byte[] extradata) {
        if (extradata.length > 0 && extradata[0] == 1) return fromDecoderConfigurationRecord(extradata);
        for (int i = 0; i + 3 < extradata.length; i++) {
            if (extradata[i] == 0 && extradata[i + 1] == 0 && extradata[i + 2] == 1 && (extradata[i + 3] & 0x1F) == 7) {
                int end = i + 3;
                while (end + 2 < extradata.length && !(extradata[end] == 0 && extradata[end + 1] == 0 && extradata[end + 2] == 1)) end++;
                if (end + 2 >= extradata.length) end = extradata.length;
                return fromSps(extradata, i + 3, end - (i + 3));
            }
        }
        throw new IllegalArgumentException("no SPS in extradata");
    }

    private static void skipScalingList(Bits b, int size) {
        int last = 8, next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) next = (last + b.se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    /** Drops the emulation prevention byte of each 00 00 03 sequence. */
    private static byte[] unescape(byte[] d, int offset, int length) {
        byte[] out = new byte[length];
        int n = 0, zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            if (zeros >= 2 && d[i] == 3) {
                zeros = 0;
                continue;
            }
            zeros = d[i] == 0 ? zeros + 1 : 0;
            out[n++] = d[i];
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** A big-endian bit reader with Exp-Golomb codes. */
    private static final class Bits {
        private final byte[] data;
        private int bit;

        Bits(byte[] data) {
            this.data = data;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                if (bit >= data.length * 8) throw new IllegalArgumentException("SPS ends early");
                v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
                bit++;
            }
            return v;
        }

        int ue() {
            int zeros = 0;
            while (u(1) == 0) {
                if (++zeros > 31) throw new IllegalArgumentException("bad Exp-Golomb code in SPS");
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : u(zeros)));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
