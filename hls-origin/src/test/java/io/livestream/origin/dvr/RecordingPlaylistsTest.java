package io.livestream.origin.dvr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingPlaylistsTest {
    private static final List<RecordedSegment> SEGMENTS = List.of(
            new RecordedSegment(10, 2.0, false, 0),
            new RecordedSegment(11, 2.0, false, 0),
            new RecordedSegment(12, 1.5, true, 0),   // resumed after a reconnect
            new RecordedSegment(14, 2.0, false, 0)); // a lost GOP

    @Test
    void aCompleteSessionIsVodWithEndlistAndItsDiscontinuities() {
        assertThat(RecordingPlaylists.session(SEGMENTS, true, seq -> seq + ".ts")).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXTINF:2.000,
                10.ts
                #EXTINF:2.000,
                11.ts
                #EXT-X-DISCONTINUITY
                #EXTINF:1.500,
                12.ts
                #EXT-X-DISCONTINUITY
                #EXTINF:2.000,
                14.ts
                #EXT-X-ENDLIST
                """);
    }

    @Test
    void anOpenSessionIsAnEventPlaylist() {
        assertThat(RecordingPlaylists.session(SEGMENTS.subList(0, 1), false, seq -> seq + ".ts"))
                .contains("#EXT-X-PLAYLIST-TYPE:EVENT").doesNotContain("ENDLIST");
    }

    @Test
    void theDvrWindowSlidesCountingWhatLeftIt() {
        assertThat(RecordingPlaylists.dvrWindow(SEGMENTS, 4.0, false, seq -> "/vod/s/r/" + seq + ".ts")).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:2
                #EXT-X-DISCONTINUITY-SEQUENCE:1
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXTINF:1.500,
                /vod/s/r/12.ts
                #EXT-X-DISCONTINUITY
                #EXTINF:2.000,
                /vod/s/r/14.ts
                """);
    }
}
