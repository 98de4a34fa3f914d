package io.livestream.origin.playlist;

import java.util.Objects;

/**
 * One EXT-X-STREAM-INF entry of a master playlist. Zero or null attributes are left out.
 *
 * @param bandwidth peak bits per second
 * @param averageBandwidth measured average bits per second, 0 when not known yet
 */
public record Variant(String uri, long bandwidth, long averageBandwidth, int width, int height, double frameRate, String codecs) {
    public Variant {
        Objects.requireNonNull(uri, "uri");
    }
}
