package io.livestream.origin.playlist;

import java.util.Objects;

/** One LL-HLS partial segment line (EXT-X-PART). */
public record MediaPart(double durationSec, String uri, boolean independent) {
    public MediaPart {
        Objects.requireNonNull(uri, "uri");
        if (durationSec < 0) throw new IllegalArgumentException("negative duration " + durationSec);
    }
}
