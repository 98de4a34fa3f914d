package io.livestream.origin.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaylistWriterTest {
    private static final long T0 = Instant.parse("2026-11-25T08:00:00.250Z").toEpochMilli();

    @Test
    void masterListsVariantsByBandwidthDescendingWithAllAttributes() {
        MasterPlaylist master = new MasterPlaylist(List.of(
                new Variant("360p/index.m3u8", 900_000, 750_123, 640, 360, 30, "avc1.64001e,mp4a.40.2"),
                new Variant("720p/index.m3u8", 3_000_000, 2_500_000, 1280, 720, 29.97002997, "avc1.64001f,mp4a.40.2"),
                new Variant("audio/index.m3u8", 128_000, 0, 0, 0, 0, "mp4a.40.2")));

        assertThat(PlaylistWriter.write(master)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2500000,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f,mp4a.40.2"
                720p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=750123,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS="avc1.64001e,mp4a.40.2"
                360p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS="mp4a.40.2"
                audio/index.m3u8
                """);
    }

    @Test
    void liveWindowHasSequenceDateTimesAndNoEndlist() {
        MediaPlaylist live = new MediaPlaylist(41, 0, List.of(
                new MediaSegment(41, 2.0, T0, false, "41.ts"),
                new MediaSegment(42, 2.002, T0 + 2000, false, "42.ts"),
                new MediaSegment(43, 1.968, T0 + 4002, false, "43.ts")), false);

        assertThat(PlaylistWriter.write(live)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:41
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:00.250Z
                #EXTINF:2.000,
                41.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:02.250Z
                #EXTINF:2.002,
                42.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:04.252Z
                #EXTINF:1.968,
                43.ts
                """);
    }

    @Test
    void discontinuityAndEndlistAndDiscontinuitySequence() {
        MediaPlaylist ended = new MediaPlaylist(7, 2, List.of(
                new MediaSegment(7, 4.0, T0, false, "7.ts"),
                new MediaSegment(8, 3.0, T0 + 60_000, true, "8.ts")), true);

        assertThat(PlaylistWriter.write(ended)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-DISCONTINUITY-SEQUENCE:2
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:00:00.250Z
                #EXTINF:4.000,
                7.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T08:01:00.250Z
                #EXTINF:3.000,
                8.ts
                #EXT-X-ENDLIST
                """);
    }

    @Test
    void segmentWithoutWallClockHasNoProgramDateTime() {
        MediaPlaylist p = new MediaPlaylist(0, 0, List.of(new MediaSegment(0, 1.5, 0, false, "0.ts")), false);
        assertThat(PlaylistWriter.write(p)).doesNotContain("PROGRAM-DATE-TIME").contains("#EXTINF:1.500,\n0.ts\n");
    }

    @Test
    void targetDurationIsTheLargestRoundedDurationAndAtLeastOne() {
        assertThat(playlistOf(2.0, 2.49, 1.0).targetDurationSec()).isEqualTo(2);
        assertThat(playlistOf(2.0, 2.5, 1.0).targetDurationSec()).isEqualTo(3);
        assertThat(playlistOf(5.9, 2.0).targetDurationSec()).isEqualTo(6);
        assertThat(playlistOf(0.3).targetDurationSec()).isEqualTo(1);
        assertThat(playlistOf().targetDurationSec()).isEqualTo(1);
        // the rule: no segment's rounded duration exceeds the target
        MediaPlaylist p = playlistOf(1.2, 3.7, 2.5, 0.4);
        assertThat(p.segments()).allSatisfy(s -> assertThat(Math.round(s.durationSec())).isLessThanOrEqualTo(p.targetDurationSec()));
        assertThat(PlaylistWriter.write(p)).contains("#EXT-X-TARGETDURATION:4\n");
    }

    private static MediaPlaylist playlistOf(double... durations) {
        List<MediaSegment> segments = new java.util.ArrayList<>();
        for (int i = 0; i < durations.length; i++) segments.add(new MediaSegment(i, durations[i], 0, false, i + ".ts"));
        return new MediaPlaylist(0, 0, segments, false);
    }
}
