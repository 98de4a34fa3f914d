package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** A strict reader of the media playlists the origin serves, asserting the HLS rules of the design as it goes. */
final class PlaylistRules {
    record Segment(double duration, String uri, String programDateTime) {}

    record Media(int targetDuration, long mediaSequence, List<Segment> segments, boolean ended) {}

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
        for (String line : lines) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) target = Integer.parseInt(line.substring(22));
            else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) sequence = Long.parseLong(line.substring(22));
            else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) pendingPdt = line.substring(25);
            else if (line.startsWith("#EXTINF:")) pendingDuration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            else if (line.equals("#EXT-X-ENDLIST")) ended = true;
            else if (!line.startsWith("#")) {
                assertThat(pendingDuration).as("EXTINF before " + line).isNotNull();
                assertThat(pendingPdt).as("PROGRAM-DATE-TIME before " + line).isNotNull();
                segments.add(new Segment(pendingDuration, line, pendingPdt));
                pendingDuration = null;
                pendingPdt = null;
            }
        }
        assertThat(target).as("EXT-X-TARGETDURATION").isNotNull();
        assertThat(sequence).as("EXT-X-MEDIA-SEQUENCE").isNotNull();
        for (Segment s : segments) {
            assertThat(Math.round(s.duration())).as("rounded EXTINF of %s within TARGETDURATION", s.uri()).isLessThanOrEqualTo(target);
        }
        return new Media(target, sequence, segments, ended);
    }

    private PlaylistRules() {}
}
