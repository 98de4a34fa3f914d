package io.livestream.jobs.media;

/** RFC 6381 {@code avc1.PPCCLL} strings read from real H.264 parameter sets. */
public final class AvcCodecs {
    private static final int NAL_SPS = 7;

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

    private static String format(byte profile, byte constraints, byte level) {
        return String.format("avc1.%02x%02x%02x", profile & 0xFF, constraints & 0xFF, level & 0xFF);
    }

    private AvcCodecs() {}
}
