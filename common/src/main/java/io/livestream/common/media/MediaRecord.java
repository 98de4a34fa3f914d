package io.livestream.common.media;

import java.util.Objects;

/**
 * One piece of encoded output on {@code live.media}.
 *
 * <p>A SEGMENT is a whole HLS segment (one source GOP) of one rendition; a PART is an LL-HLS partial segment
 * of the segment numbered {@code sequence}; INIT is an fMP4 initialisation section if the container needs one;
 * END says the session's output is complete (the origin then writes EXT-X-ENDLIST).
 *
 * @param sequence media sequence number of the segment (never goes backwards for a stream)
 * @param partIndex index of a part within its segment, -1 for anything else
 * @param codecs RFC 6381 codecs string of this rendition, e.g. "avc1.64001f,mp4a.40.2"
 * @param bandwidth peak bits per second of this rendition (for the master playlist)
 * @param wallClockMs wall-clock time of the segment's first frame, for EXT-X-PROGRAM-DATE-TIME
 */
public record MediaRecord(
        String streamId,
        String sessionId,
        String rendition,
        Type type,
        long sequence,
        int partIndex,
        double durationSec,
        long ptsMs,
        boolean independent,
        boolean discontinuity,
        String codecs,
        int width,
        int height,
        double frameRate,
        long bandwidth,
        long wallClockMs,
        byte[] payload) {

    public enum Type { INIT, PART, SEGMENT, END }

    public MediaRecord {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(rendition, "rendition");
        Objects.requireNonNull(type, "type");
        payload = payload == null ? new byte[0] : payload;
    }

    @Override
    public String toString() {
        return "MediaRecord[" + streamId + "/" + rendition + " " + type + " #" + sequence
                + (partIndex >= 0 ? "." + partIndex : "") + " " + durationSec + "s " + payload.length + "B]";
    }
}
