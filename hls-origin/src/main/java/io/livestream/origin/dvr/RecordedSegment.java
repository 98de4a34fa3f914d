package io.livestream.origin.dvr;

/** One line of a rendition's {@code segments.log}: "sequence duration discontinuity(0|1) wallClockMs". */
public record RecordedSegment(long sequence, double durationSec, boolean discontinuity, long wallClockMs) {
    String toLine() {
        return sequence + " " + durationSec + " " + (discontinuity ? 1 : 0) + " " + wallClockMs + "\n";
    }

    /** Null for a line that does not parse (the torn last line of a crash). */
    static RecordedSegment parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 4) return null;
        try {
            return new RecordedSegment(Long.parseLong(f[0]), Double.parseDouble(f[1]), f[2].equals("1"), Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
