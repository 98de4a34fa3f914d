package io.livestream.jobs.media;

import java.io.Serializable;

/**
 * One rendition of the ladder: either the source passed through untouched, or a re-encode to {@code height}
 * lines at {@code bitrateKbps}.
 */
public record Rung(String name, boolean passthrough, int height, int bitrateKbps) implements Serializable {
    public static final String SOURCE = "source";
    private static final double SOURCE_BITS_PER_PIXEL = 0.1;

    public static Rung source() {
        return new Rung(SOURCE, true, 0, 0);
    }

    public static Rung encoded(int height, int bitrateKbps) {
        if (height <= 0 || height % 2 != 0) throw new IllegalArgumentException("rung height must be even and > 0: " + height);
        if (bitrateKbps <= 0) throw new IllegalArgumentException("rung bitrate must be > 0: " + bitrateKbps);
        return new Rung(height + "p", false, height, bitrateKbps);
    }

    /**
     * The source rung of a source that cannot be passed through (HEVC, AV1: see {@link VideoCodec}): an H.264 encode
     * at the source size (height rounded down to even), still named {@code source}, at about 0.1 bit per pixel, what
     * the default ladder's rungs spend (720p30 at 2800 kbit/s), between 300 and 8000 kbit/s.
     */
    public static Rung encodedSource(int width, int height, double fps) {
        long kbps = Math.round(width * (double) height * fps * SOURCE_BITS_PER_PIXEL / 1000);
        return new Rung(SOURCE, false, height & ~1, (int) Math.max(300, Math.min(8000, kbps)));
    }

    /** Output width for a source of {@code sourceWidth x sourceHeight}: keeps the aspect, rounded to even. */
    public int widthFor(int sourceWidth, int sourceHeight) {
        return Math.max(2, (int) Math.round((double) sourceWidth * height / sourceHeight / 2.0) * 2);
    }

    @Override
    public String toString() {
        return passthrough ? SOURCE : name + ":" + bitrateKbps;
    }
}
