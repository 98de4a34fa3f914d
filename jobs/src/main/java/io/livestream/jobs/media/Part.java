package io.livestream.jobs.media;

/**
 * One LL-HLS partial segment of one rendition: a run of whole frames of the segment being written, cut from that
 * segment's MPEG-TS output. The parts of a segment, in order, concatenate to exactly the segment's bytes.
 *
 * @param segmentIndex the {@link Segment#index()} of the segment this part belongs to
 * @param partIndex position within the segment, from 0
 * @param startPtsMs presentation time the part starts at
 * @param independent whether the part starts with PAT/PMT and an IDR (the first part of every segment)
 */
public record Part(String rendition, int segmentIndex, int partIndex, long startPtsMs, double durationSec, boolean independent,
                   byte[] payload) {
    @Override
    public String toString() {
        return "Part[" + rendition + " #" + segmentIndex + "." + partIndex + " pts=" + startPtsMs + " " + durationSec + "s "
                + payload.length + "B" + (independent ? " independent" : "") + "]";
    }
}
