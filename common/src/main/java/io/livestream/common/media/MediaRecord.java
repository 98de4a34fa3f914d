package io.livestream.common.media;

import java.util.Objects;

/**
 * One piece of encoded output on {@code live.media}.
 *
 * <p>A SEGMENT is a whole HLS segment (one source GOP) of one rendition; a PART is an LL-HLS partial segment
 * of the segment numbered {@code sequence}; INIT is an fMP4 initialisation section if the container needs one;
 * END says the session's output is complete (the origin then writes EXT-X-ENDLIST).
 *
 * <p>Each segment, part and init exists once per {@link Container}: the transcoder writes CMAF (fMP4) and MPEG-TS from
 * the same cut, same sequence and part numbers. Before each segment's first fMP4 part the transcoder repeats the
 * rendition's INIT, so an origin that starts reading mid-session (a look-back) has it.
 *
 * @param sequence media sequence number of the segment (never goes backwards for a stream)
 * @param partIndex index of a part within its segment, -1 for anything else
 * @param codecs RFC 6381 codecs string of this rendition, e.g. "avc1.64001f,mp4a.40.2"
 * @param bandwidth peak bits per second of this rendition (for the master playlist)
 * @param wallClockMs wall-clock time of the segment's first frame, for EXT-X-PROGRAM-DATE-TIME
 * @param container the payload's container; records written before there were two are MPEG-TS
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
        byte[] payload,
        Container container) {

    public enum Type { INIT, PART, SEGMENT, END }

    /** What the payload is: CMAF fMP4 (init segment, or moof + mdat chunks) or MPEG-TS packets. */
    public enum Container {
        FMP4("fmp4"), TS("ts");

        /** The header value. */
        public final String id;

        Container(String id) { this.id = id; }

        /** @throws IllegalArgumentException for an unknown name; null (a record of an older producer) is TS */
        public static Container of(String id) {
            if (id == null) return TS;
            for (Container c : values()) if (c.id.equals(id)) return c;
            throw new IllegalArgumentException("unknown media container " + id);
        }
    }

    public MediaRecord {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(rendition, "rendition");
        Objects.requireNonNull(type, "type");
        payload = payload == null ? new byte[0] : payload;
        container = container == null ? Container.TS : container;
    }

    /** An MPEG-TS record (or an END, which names no container). */
    public MediaRecord(String streamId, String sessionId, String rendition, Type type, long sequence, int partIndex, double durationSec,
                       long ptsMs, boolean independent, boolean discontinuity, String codecs, int width, int height, double frameRate,
                       long bandwidth, long wallClockMs, byte[] payload) {
        this(streamId, sessionId, rendition, type, sequence, partIndex, durationSec, ptsMs, independent, discontinuity, codecs, width,
                height, frameRate, bandwidth, wallClockMs, payload, Container.TS);
    }

    /** This record with another payload in another container (the same cut written twice). */
    public MediaRecord in(Container other, byte[] otherPayload) {
        return new MediaRecord(streamId, sessionId, rendition, type, sequence, partIndex, durationSec, ptsMs, independent, discontinuity,
                codecs, width, height, frameRate, bandwidth, wallClockMs, otherPayload, other);
    }

    @Override
    public String toString() {
        return "MediaRecord[" + streamId + "/" + rendition + " " + type + " #" + sequence
                + (partIndex >= 0 ? "." + partIndex : "") + " " + container.id + " " + durationSec + "s " + payload.length + "B]";
    }
}
