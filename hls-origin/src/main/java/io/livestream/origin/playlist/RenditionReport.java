package io.livestream.origin.playlist;

import java.util.Objects;

/**
 * EXT-X-RENDITION-REPORT: where another rung's live edge is, so a player switching rungs can block on the right part.
 *
 * @param uri the other rung's media playlist, relative to this one
 * @param lastPart index of the last part of {@code lastMsn}, -1 when that segment has none listed (LAST-PART left out)
 */
public record RenditionReport(String uri, long lastMsn, int lastPart) {
    public RenditionReport {
        Objects.requireNonNull(uri, "uri");
    }
}
