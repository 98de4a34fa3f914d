package io.livestream.jobs.media;

/**
 * One LL-HLS partial segment of one rendition: a run of whole frames of the segment being written, in both
 * containers: MPEG-TS bytes cut from the segment's output (starting with PAT/PMT), and one fMP4 fragment (moof + mdat).
 * The parts of a segment, in order, concatenate to exactly the segment's bytes, in either container.
 *
 * @param segmentIndex the {@link Segment#index()} of the segment this part belongs to
 * @param partIndex position within the segment, from 0
 * @param startPtsMs presentation time the part starts at
 * @param independent whether the part starts with an IDR (the first part of every segment)
 * @param fmp4Init the init segment the fMP4 fragment decodes after (see {@link Segment#fmp4Init()})
 */
public record Part(String rendition, int segmentIndex, int partIndex, long startPtsMs, double durationSec, boolean independent,
                   byte[] payload, byte[] fmp4Payload, byte[] fmp4Init) {
    @Override
    public String toString() {
        return "Part[" + rendition + " #" + segmentIndex + "." + partIndex + " pts=" + startPtsMs + " " + durationSec + "s "
                + payload.length + "B" + (independent ? " independent" : "") + "]";
    }
}
