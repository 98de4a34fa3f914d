package io.livestream.jobs.media;

import java.io.Serializable;

/**
 * One rendition of the ladder: either the source passed through untouched, or a re-encode to {@code height}
 * lines at {@code bitrateKbps}.
 */
public record Rung(String name, boolean passthrough, int height, int bitrateKbps) implements Serializable {
    public static final String SOURCE = "source";

    public static Rung source() {
        return new Rung(SOURCE, true, 0, 0);
    }

    public static Rung encoded(int height, int bitrateKbps) {
        if (height <= 0 || height % 2 != 0) throw new IllegalArgumentException("rung height must be even and > 0: " + height);
        if (bitrateKbps <= 0) throw new IllegalArgumentException("rung bitrate must be > 0: " + bitrateKbps);
        return new Rung(height + "p", false, height, bitrateKbps);
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
