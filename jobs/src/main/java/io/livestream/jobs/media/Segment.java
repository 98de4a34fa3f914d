package io.livestream.jobs.media;

/**
 * One finished MPEG-TS segment of one rendition: a source GOP.
 *
 * @param index position of the segment within its transcoder session, from 0, equal across renditions for the same GOP
 * @param startPtsMs presentation time of the segment's keyframe
 * @param durationSec next keyframe time - this keyframe time (the stream end for the last one)
 * @param bandwidth peak bits per second seen so far on this rendition (at least the configured bitrate)
 */
public record Segment(String rendition, int index, long startPtsMs, double durationSec, byte[] payload, String codecs,
                      int width, int height, double frameRate, long bandwidth) {
    @Override
    public String toString() {
        return "Segment[" + rendition + " #" + index + " pts=" + startPtsMs + " " + durationSec + "s " + payload.length + "B " + codecs
                + " " + width + "x" + height + "@" + frameRate + "]";
    }
}
