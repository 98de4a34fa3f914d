package io.livestream.jobs.media;

/**
 * One finished segment of one rendition, a source GOP, in both containers: MPEG-TS ({@code payload}) and CMAF fMP4
 * ({@code fmp4Payload}, fragments that decode after {@code fmp4Init}).
 *
 * @param index position of the segment within its transcoder session, from 0, equal across renditions for the same GOP
 * @param startPtsMs presentation time of the segment's keyframe
 * @param durationSec next keyframe time - this keyframe time (the stream end for the last one)
 * @param bandwidth peak bits per second seen so far on this rendition (at least the configured bitrate)
 * @param fmp4Init the fMP4 initialisation segment (ftyp + moov) the fragments decode after; the same bytes for every
 *     segment of a session unless the audio configuration changed
 */
public record Segment(String rendition, int index, long startPtsMs, double durationSec, byte[] payload, String codecs,
                      int width, int height, double frameRate, long bandwidth, byte[] fmp4Payload, byte[] fmp4Init) {
    @Override
    public String toString() {
        return "Segment[" + rendition + " #" + index + " pts=" + startPtsMs + " " + durationSec + "s " + payload.length + "B " + codecs
                + " " + width + "x" + height + "@" + frameRate + "]";
    }
}
