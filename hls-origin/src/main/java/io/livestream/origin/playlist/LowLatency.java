package io.livestream.origin.playlist;

import java.util.List;

/**
 * The LL-HLS half of a live media playlist (draft-pantos-hls-rfc8216bis): the part target, the parts of the segment
 * still being written, the hint for the part after them and the other rungs' live edges.
 *
 * @param partTargetSec EXT-X-PART-INF:PART-TARGET; no part in the playlist is longer
 * @param openParts parts of the segment being written (rendered after the last whole segment)
 * @param openDiscontinuity whether the segment being written starts a discontinuity
 * @param preloadHintUri the next part to be written, or null (an ended playlist hints nothing)
 * @param openMapUri the init segment the open parts decode after (fMP4), null for MPEG-TS
 */
public record LowLatency(double partTargetSec, List<MediaPart> openParts, boolean openDiscontinuity, String preloadHintUri,
                         List<RenditionReport> renditionReports, String openMapUri) {
    /** PART-HOLD-BACK as a multiple of the part target: the draft requires at least 2, Apple recommends 3. */
    public static final int PART_HOLD_BACK_PARTS = 3;
    /** CAN-SKIP-UNTIL as a multiple of the target duration: the draft's minimum. */
    public static final int SKIP_UNTIL_TARGET_DURATIONS = 6;

    public LowLatency(double partTargetSec, List<MediaPart> openParts, boolean openDiscontinuity, String preloadHintUri,
                      List<RenditionReport> renditionReports) {
        this(partTargetSec, openParts, openDiscontinuity, preloadHintUri, renditionReports, null);
    }

    public LowLatency {
        openParts = List.copyOf(openParts);
        renditionReports = List.copyOf(renditionReports);
        if (partTargetSec <= 0) throw new IllegalArgumentException("part target must be positive");
    }

    public double partHoldBackSec() {
        return PART_HOLD_BACK_PARTS * partTargetSec;
    }
}
