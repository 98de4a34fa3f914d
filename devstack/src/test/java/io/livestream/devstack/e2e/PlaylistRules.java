package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** A strict reader of the media playlists the origin serves, asserting the HLS rules of the design as it goes. */
final class PlaylistRules {
    /** @param gap listed under EXT-X-GAP: a number the transcoder skipped, not to be loaded */
    record Segment(double duration, String uri, String programDateTime, boolean gap) {}

    /**
     * @param map the EXT-X-MAP URI in effect for the first segment (fMP4), null for MPEG-TS
     * @param partUris every EXT-X-PART URI, in order
     */
    record Media(int targetDuration, long mediaSequence, List<Segment> segments, boolean ended, String map, List<String> partUris) {}

    static Media parseMedia(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(lines.get(0)).isEqualTo("#EXTM3U");
        assertThat(lines).contains("#EXT-X-INDEPENDENT-SEGMENTS");
        assertThat(lines).anyMatch(l -> l.startsWith("#EXT-X-VERSION:"));
        Integer target = null;
        Long sequence = null;
        boolean ended = false;
        List<Segment> segments = new ArrayList<>();
        Double pendingDuration = null;
        String pendingPdt = null;
        String map = null;
        boolean gap = false;
        List<String> parts = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#EXT-X-MAP:")) {
                if (map == null) map = attribute(line, "URI");
            } else if (line.startsWith("#EXT-X-PART:")) parts.add(attribute(line, "URI"));
            else if (line.startsWith("#EXT-X-TARGETDURATION:")) target = Integer.parseInt(line.substring(22));
            else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) sequence = Long.parseLong(line.substring(22));
            else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) pendingPdt = line.substring(25);
            else if (line.startsWith("#EXTINF:")) pendingDuration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            else if (line.equals("#EXT-X-ENDLIST")) ended = true;
            else if (line.equals("#EXT-X-GAP")) gap = true;
            else if (!line.startsWith("#")) {
                assertThat(pendingDuration).as("EXTINF before " + line).isNotNull();
                assertThat(pendingPdt).as("PROGRAM-DATE-TIME before " + line).isNotNull();
                segments.add(new Segment(pendingDuration, line, pendingPdt, gap));
                pendingDuration = null;
                pendingPdt = null;
                gap = false;
            }
        }
        assertThat(target).as("EXT-X-TARGETDURATION").isNotNull();
        assertThat(sequence).as("EXT-X-MEDIA-SEQUENCE").isNotNull();
        for (Segment s : segments) {
            assertThat(Math.round(s.duration())).as("rounded EXTINF of %s within TARGETDURATION", s.uri()).isLessThanOrEqualTo(target);
        }
        if (map == null) assertThat(segments).as("MPEG-TS without EXT-X-MAP").allMatch(seg -> seg.uri().endsWith(".ts"));
        else assertThat(segments).as("fMP4 segments after EXT-X-MAP").allMatch(seg -> seg.uri().endsWith(".m4s"));
        return new Media(target, sequence, segments, ended, map, parts);
    }

    /**
     * Apple's LL-HLS rules a program can check (HLS authoring spec, rfc8216bis): PART-TARGET and PART-HOLD-BACK of at
     * least three part targets, no part longer than the target, INDEPENDENT=YES on each segment's first part (a
     * keyframe: segments are GOPs), parts listed only for segments within three target durations of the end, a
     * preload hint, and a rendition report for every other rendition.
     */
    static void checkLowLatency(String text, int renditions) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String partInf = lines.stream().filter(l -> l.startsWith("#EXT-X-PART-INF:")).findFirst().orElse(null);
        assertThat(partInf).as("EXT-X-PART-INF").isNotNull();
        double partTarget = Double.parseDouble(attribute(partInf, "PART-TARGET"));
        String control = lines.stream().filter(l -> l.startsWith("#EXT-X-SERVER-CONTROL:")).findFirst().orElse("");
        assertThat(control).contains("CAN-BLOCK-RELOAD=YES");
        assertThat(Double.parseDouble(attribute(control, "PART-HOLD-BACK"))).as("PART-HOLD-BACK").isGreaterThanOrEqualTo(3 * partTarget - 1e-9);
        int target = Integer.parseInt(lines.stream().filter(l -> l.startsWith("#EXT-X-TARGETDURATION:")).findFirst().orElseThrow().substring(22));
        boolean ended = lines.contains("#EXT-X-ENDLIST");

        double total = 0;
        for (String line : lines) if (line.startsWith("#EXTINF:")) total += Double.parseDouble(line.substring(8, line.indexOf(',')));
        double open = openDuration(lines);
        double before = 0; // duration of the segments above the current line
        boolean firstPartOfSegment = true;
        for (String line : lines) {
            if (line.startsWith("#EXT-X-PART:")) {
                double duration = Double.parseDouble(attribute(line, "DURATION"));
                assertThat(duration).as("part within PART-TARGET: %s", line).isLessThanOrEqualTo(partTarget + 1e-9);
                if (firstPartOfSegment) assertThat(line).as("first part of a segment is independent").contains("INDEPENDENT=YES");
                // Apple: parts more than three target durations from the end are removed (counted from their segment's start)
                assertThat(total - before + open).as("segment of part %s within 3 target durations of the end", line)
                        .isLessThanOrEqualTo(3.0 * target + 1e-6);
                firstPartOfSegment = false;
            } else if (line.startsWith("#EXTINF:")) {
                before += Double.parseDouble(line.substring(8, line.indexOf(',')));
                firstPartOfSegment = true;
            }
        }
        if (!ended) assertThat(lines).as("EXT-X-PRELOAD-HINT").anyMatch(l -> l.startsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI="));
        long reports = lines.stream().filter(l -> l.startsWith("#EXT-X-RENDITION-REPORT:")).count();
        assertThat(reports).as("a rendition report per other rendition").isEqualTo(renditions - 1);
    }

    /** The duration of the parts after the last EXTINF (the open segment's). */
    private static double openDuration(List<String> lines) {
        double open = 0;
        for (String line : lines) {
            if (line.startsWith("#EXTINF:")) open = 0;
            else if (line.startsWith("#EXT-X-PART:")) open += Double.parseDouble(attribute(line, "DURATION"));
        }
        return open;
    }

    /** An attribute of a tag line, quotes removed. */
    static String attribute(String line, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[:,]" + name + "=(\"[^\"]*\"|[^,]*)").matcher(line);
        if (!m.find()) throw new AssertionError(name + " missing in " + line);
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private PlaylistRules() {}
}
