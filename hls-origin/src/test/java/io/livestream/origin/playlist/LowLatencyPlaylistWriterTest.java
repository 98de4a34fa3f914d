package io.livestream.origin.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LL-HLS tags (draft-pantos-hls-rfc8216bis), each against exact text. */
class LowLatencyPlaylistWriterTest {
    private static final long T0 = Instant.parse("2026-11-25T08:00:00.250Z").toEpochMilli();

    private static List<MediaPart> parts(long msn, double... durations) {
        List<MediaPart> out = new ArrayList<>();
        for (int i = 0; i < durations.length; i++) out.add(new MediaPart(durations[i], msn + "." + i + ".ts", i == 0));
        return out;
    }

    @Test
    void liveEdgeHasServerControlPartInfPartsPreloadHintAndRenditionReports() {
        MediaPlaylist p = new MediaPlaylist(41, 0, List.of(
                new MediaSegment(41, 1.0, T0, false, "41.ts"),
                new MediaSegment(42, 1.0, T0 + 1000, false, "42.ts", parts(42, 0.333, 0.334, 0.333))),
                false,
                new LowLatency(0.334, parts(43, 0.333), false, "43.1.ts",
                        List.of(new RenditionReport("../360p/index.m3u8", 43, 0), new RenditionReport("../180p/index.m3u8", 42, -1))));

        assertThat(PlaylistWriter.write(p)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:1
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.002,CAN-SKIP-UNTIL=6.000
                #EXT-X-PART-INF:PART-TARGET=0.334
                #EXT-X-MEDIA-SEQUENCE:41
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:00.250Z
                #EXTINF:1.000,
                41.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:01.250Z
                #EXT-X-PART:DURATION=0.333,URI="42.0.ts",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.334,URI="42.1.ts"
                #EXT-X-PART:DURATION=0.333,URI="42.2.ts"
                #EXTINF:1.000,
                42.ts
                #EXT-X-PART:DURATION=0.333,URI="43.0.ts",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="43.1.ts"
                #EXT-X-RENDITION-REPORT:URI="../360p/index.m3u8",LAST-MSN=43,LAST-PART=0
                #EXT-X-RENDITION-REPORT:URI="../180p/index.m3u8",LAST-MSN=42
                """);
    }

    @Test
    void partHoldBackIsThreePartTargetsAndCanSkipUntilSixTargetDurations() {
        MediaPlaylist p = new MediaPlaylist(0, 0, List.of(new MediaSegment(0, 2.0, 0, false, "0.ts")), false,
                new LowLatency(0.5, List.of(), false, "1.0.ts", List.of()));
        assertThat(PlaylistWriter.write(p))
                .contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500,CAN-SKIP-UNTIL=12.000\n")
                .contains("#EXT-X-PART-INF:PART-TARGET=0.500\n")
                .endsWith("0.ts\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"1.0.ts\"\n");
        assertThat(p.lowLatency().partHoldBackSec()).isGreaterThanOrEqualTo(3 * p.lowLatency().partTargetSec());
    }

    @Test
    void deltaUpdateSkipsSegmentsOlderThanCanSkipUntilAndNeedsVersion9() {
        List<MediaSegment> segments = new ArrayList<>();
        for (int i = 0; i < 9; i++) segments.add(new MediaSegment(100 + i, 1.0, T0 + i * 1000L, i == 1, (100 + i) + ".ts"));
        MediaPlaylist p = new MediaPlaylist(100, 3, segments, false,
                new LowLatency(0.334, parts(109, 0.333), false, "109.1.ts", List.of()));
        // 9 whole segments + 0.333 s open: segments 100..102 end 6.333 s or more before the end; 103 ends 5.333 s before
        assertThat(p.skippableSegments()).isEqualTo(3);

        assertThat(PlaylistWriter.write(p, true)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-TARGETDURATION:1
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.002,CAN-SKIP-UNTIL=6.000
                #EXT-X-PART-INF:PART-TARGET=0.334
                #EXT-X-MEDIA-SEQUENCE:100
                #EXT-X-DISCONTINUITY-SEQUENCE:3
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-SKIP:SKIPPED-SEGMENTS=3
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:03.250Z
                #EXTINF:1.000,
                103.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:04.250Z
                #EXTINF:1.000,
                104.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:05.250Z
                #EXTINF:1.000,
                105.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:06.250Z
                #EXTINF:1.000,
                106.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:07.250Z
                #EXTINF:1.000,
                107.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:08.250Z
                #EXTINF:1.000,
                108.ts
                #EXT-X-PART:DURATION=0.333,URI="109.0.ts",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="109.1.ts"
                """);
        // the full playlist is unchanged by the skip machinery
        assertThat(PlaylistWriter.write(p, false)).startsWith("#EXTM3U\n#EXT-X-VERSION:6\n").doesNotContain("EXT-X-SKIP").contains("100.ts\n");
    }

    @Test
    void deltaUpdateOfAShortPlaylistSkipsNothingAndIsTheFullPlaylist() {
        MediaPlaylist p = new MediaPlaylist(5, 0, List.of(new MediaSegment(5, 1.0, T0, false, "5.ts"),
                new MediaSegment(6, 1.0, T0 + 1000, false, "6.ts")), false, new LowLatency(0.334, List.of(), false, "7.0.ts", List.of()));
        assertThat(p.skippableSegments()).isZero();
        assertThat(PlaylistWriter.write(p, true)).isEqualTo(PlaylistWriter.write(p, false));
        // and without LL-HLS nothing is ever skipped
        MediaPlaylist plain = new MediaPlaylist(5, 0, p.segments(), false);
        assertThat(plain.skippableSegments()).isZero();
    }

    @Test
    void aDiscontinuousOpenSegmentGetsItsTagBeforeItsParts() {
        MediaPlaylist p = new MediaPlaylist(7, 0, List.of(new MediaSegment(7, 1.0, 0, false, "7.ts")), false,
                new LowLatency(0.334, parts(8, 0.333), true, "8.1.ts", List.of()));
        assertThat(PlaylistWriter.write(p)).endsWith("""
                #EXTINF:1.000,
                7.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-PART:DURATION=0.333,URI="8.0.ts",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="8.1.ts"
                """);
    }

    @Test
    void anEndedPlaylistHintsNothing() {
        MediaPlaylist p = new MediaPlaylist(7, 0, List.of(new MediaSegment(7, 1.0, 0, false, "7.ts", parts(7, 0.5, 0.5))), true,
                new LowLatency(0.5, List.of(), false, "8.0.ts", List.of()));
        assertThat(PlaylistWriter.write(p)).doesNotContain("PRELOAD-HINT").endsWith("""
                #EXT-X-PART:DURATION=0.500,URI="7.1.ts"
                #EXTINF:1.000,
                7.ts
                #EXT-X-ENDLIST
                """);
    }
}
