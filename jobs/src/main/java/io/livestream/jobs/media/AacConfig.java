package io.livestream.jobs.media;

/**
 * The facts of an AAC AudioSpecificConfig (ISO 14496-3 1.6.2.1) the muxer needs: object type, sample rate, channels.
 * The raw bytes go to the muxer as extradata, which then writes ADTS headers for MPEG-TS.
 */
public record AacConfig(byte[] audioSpecificConfig, int objectType, int sampleRate, int channels) {
    private static final int[] SAMPLE_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    public static AacConfig parse(byte[] asc) {
        if (asc.length < 2) throw new IllegalArgumentException("AudioSpecificConfig too short: " + asc.length);
        int objectType = (asc[0] & 0xFF) >> 3;
        int frequencyIndex = ((asc[0] & 0x07) << 1) | ((asc[1] & 0xFF) >> 7);
        int channels = ((asc[1] & 0xFF) >> 3) & 0x0F;
        if (objectType == 31 || frequencyIndex >= SAMPLE_RATES.length) {
            throw new IllegalArgumentException("unsupported AudioSpecificConfig (escape codes)");
        }
        return new AacConfig(asc.clone(), objectType, SAMPLE_RATES[frequencyIndex], channels == 0 ? 2 : channels);
    }

    /** RFC 6381 codec name, e.g. mp4a.40.2 for AAC-LC. */
    public String codecs() {
        return "mp4a.40." + objectType;
    }
}
