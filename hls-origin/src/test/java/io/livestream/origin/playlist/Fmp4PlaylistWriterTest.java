package io.livestream.origin.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** EXT-X-MAP in fMP4 playlists: once before the first segment, again only where the init segment changes. */
class Fmp4PlaylistWriterTest {
    private static final long T = 1_795_000_000_000L;

    private static MediaSegment segment(long seq, String map) {
        return new MediaSegment(seq, 2.0, T + seq * 2000, false, seq + ".m4s",
                List.of(new MediaPart(1.0, seq + ".0.m4s", true), new MediaPart(1.0, seq + ".1.m4s", false)), map);
    }

    @Test
    void theMapLeadsTheFirstSegmentAndIsRepeatedOnlyWhereItChanges() {
        MediaPlaylist p = new MediaPlaylist(10, 0, List.of(segment(10, "init-a.mp4"), segment(11, "init-a.mp4"), segment(12, "init-b.mp4")), false,
                new LowLatency(1.0, List.of(new MediaPart(1.0, "13.0.m4s", true)), false, "13.1.m4s", List.of(), "init-c.mp4"));
        assertThat(PlaylistWriter.write(p)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3.000,CAN-SKIP-UNTIL=12.000
                #EXT-X-PART-INF:PART-TARGET=1.000
                #EXT-X-MEDIA-SEQUENCE:10
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MAP:URI="init-a.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:07:00.000Z
                #EXT-X-PART:DURATION=1.000,URI="10.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=1.000,URI="10.1.m4s"
                #EXTINF:2.000,
                10.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:07:02.000Z
                #EXT-X-PART:DURATION=1.000,URI="11.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=1.000,URI="11.1.m4s"
                #EXTINF:2.000,
                11.m4s
                #EXT-X-MAP:URI="init-b.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:07:04.000Z
                #EXT-X-PART:DURATION=1.000,URI="12.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=1.000,URI="12.1.m4s"
                #EXTINF:2.000,
                12.m4s
                #EXT-X-MAP:URI="init-c.mp4"
                #EXT-X-PART:DURATION=1.000,URI="13.0.m4s",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="13.1.m4s"
                """);
    }

    @Test
    void aDeltaUpdateRepeatsTheMapAfterTheSkip() {
        List<MediaSegment> segments = new java.util.ArrayList<>();
        for (long s = 0; s < 10; s++) segments.add(segment(s, "init-a.mp4"));
        MediaPlaylist p = new MediaPlaylist(0, 0, segments, false, new LowLatency(1.0, List.of(), false, "10.0.m4s", List.of(), null));
        String delta = PlaylistWriter.write(p, true);
        assertThat(delta).contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n#EXT-X-MAP:URI=\"init-a.mp4\"\n#EXT-X-PROGRAM-DATE-TIME");
        assertThat(delta.split("EXT-X-MAP", -1)).hasSize(2);
    }

    @Test
    void mpegTsPlaylistsHaveNoMap() {
        MediaPlaylist p = new MediaPlaylist(0, 0, List.of(new MediaSegment(0, 2.0, T, false, "0.ts")), true);
        assertThat(PlaylistWriter.write(p)).doesNotContain("EXT-X-MAP");
    }
}
