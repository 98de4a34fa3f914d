package io.livestream.jobs.media;

/** RFC 6381 {@code avc1.PPCCLL} strings read from real H.264 parameter sets. */
public final class AvcCodecs {
    private static final int NAL_SPS = 7;
    private static final int NAL_PPS = 8;

    /** From an AVCDecoderConfigurationRecord (the FLV/MP4 avcC box): bytes 1..3 are profile, constraints, level. */
    public static String fromDecoderConfigurationRecord(byte[] avcC) {
        if (avcC.length < 4 || avcC[0] != 1) throw new IllegalArgumentException("not an AVCDecoderConfigurationRecord");
        return format(avcC[1], avcC[2], avcC[3]);
    }

    /** From the first SPS in an Annex-B byte stream (start-code delimited NAL units), or null if there is none. */
    public static String fromAnnexB(byte[] data) {
        for (int i = 0; i + 3 < data.length; i++) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                int nal = i + 3;
                if ((data[nal] & 0x1F) == NAL_SPS && nal + 3 < data.length) {
                    return format(data[nal + 1], data[nal + 2], data[nal + 3]);
                }
                i = nal - 1;
            }
        }
        return null;
    }

    /**
     * The SPS and PPS NAL units of an Annex-B access unit, each behind a 4-byte start code (an Annex-B extradata the
     * mp4 muxer turns into avcC); empty if it has none.
     */
    public static byte[] parameterSetsOf(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int start = nextNal(data, 0);
        while (start >= 0) {
            int next = nextNal(data, start);
            int end = next < 0 ? data.length : next - 3;
            while (end > start && data[end - 1] == 0) end--; // a 4-byte start code's leading zero, trailing zeros
            int type = data[start] & 0x1F;
            if (type == NAL_SPS || type == NAL_PPS) {
                out.writeBytes(new byte[] {0, 0, 0, 1});
                out.write(data, start, end - start);
            }
            start = next;
        }
        return out.toByteArray();
    }

    /** Index of the NAL unit after the next start code at or after {@code from}, or -1. */
    private static int nextNal(byte[] data, int from) {
        for (int i = from; i + 2 < data.length; i++) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) return i + 3 < data.length ? i + 3 : -1;
        }
        return -1;
    }

    private static String format(byte profile, byte constraints, byte level) {
        return String.format("avc1.%02x%02x%02x", profile & 0xFF, constraints & 0xFF, level & 0xFF);
    }

    private AvcCodecs() {}
}
