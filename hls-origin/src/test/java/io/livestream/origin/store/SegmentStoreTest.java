package io.livestream.origin.store;

import static io.livestream.origin.store.TestRecords.end;
import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord;
import io.livestream.common.time.FakeClock;
import io.livestream.origin.playlist.MasterPlaylist;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.playlist.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentStoreTest {
    private final SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(3));

    @Test
    void windowSlidesAndSegmentsLeavingItStayDownloadableForTheirDurationPlusThePlaylists() {
        for (long seq = 10; seq < 15; seq++) store.onMediaRecord(segment("s1", "a", "720p", seq, 2.0, 100));

        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.mediaSequence()).isEqualTo(12);
        assertThat(p.segments()).extracting(MediaSegment::uri).containsExactly("12.ts", "13.ts", "14.ts");
        assertThat(p.ended()).isFalse();
        // RFC 8216 6.2.2: a player (or a cache) holding the playlist that listed 10 and 11 may still fetch them
        assertThat(store.segment("s1", "720p", 10)).isPresent();
        assertThat(store.segment("s1", "720p", 11)).isPresent();
        assertThat(store.segment("s1", "720p", 12)).hasValueSatisfying(s -> {
            assertThat(s.bytes()).isEqualTo(segment("s1", "a", "720p", 12, 2.0, 100).payload());
            assertThat(s.etag()).matches("\"[0-9a-f]+-64\"");
        });
        assertThat(store.segment("s1", "720p", 15)).isEmpty();
        assertThat(store.totalBytes()).isEqualTo(500);

        // the playlist lists 6 s: a segment removed more than its 2 s plus those 6 s ago is gone
        for (long seq = 15; seq < 20; seq++) store.onMediaRecord(segment("s1", "a", "720p", seq, 2.0, 100));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().mediaSequence()).isEqualTo(17);
        assertThat(store.segment("s1", "720p", 11)).isEmpty();
        assertThat(store.segment("s1", "720p", 12)).isPresent(); // removed when 15 came, 8 s of media ago
        assertThat(store.totalBytes()).isEqualTo(800);
    }

    @Test
    void defaultWindowIsSixSegments() {
        SegmentStore defaults = new SegmentStore();
        for (long seq = 0; seq < 10; seq++) defaults.onMediaRecord(segment("s1", "a", "720p", seq, 2.0, 10));
        assertThat(defaults.mediaPlaylist("s1", "720p").orElseThrow().segments()).hasSize(6);
    }

    @Test
    void endMarksEndlistAndNewSessionContinuesWithDiscontinuity() {
        store.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 1, 2.0, 10));
        store.onMediaRecord(end("s1", "a", "720p"));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().ended()).isTrue();

        store.onMediaRecord(segment("s1", "b", "720p", 2, 2.0, 10));
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.ended()).isFalse();
        assertThat(p.segments()).extracting(MediaSegment::sequence).containsExactly(0L, 1L, 2L);
        assertThat(p.segments()).extracting(MediaSegment::discontinuity).containsExactly(false, false, true);
        assertThat(p.discontinuitySequence()).isZero();
    }

    @Test
    void discontinuitySequenceCountsDiscontinuitiesThatSlidOut() {
        store.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "b", "720p", 1, 2.0, 10)); // new session: discontinuity
        store.onMediaRecord(segment("s1", "b", "720p", 2, 2.0, 10));
        store.onMediaRecord(segment("s1", "b", "720p", 3, 2.0, 10));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().discontinuitySequence()).isZero();

        store.onMediaRecord(segment("s1", "b", "720p", 4, 2.0, 10)); // the discontinuous segment 1 leaves
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.mediaSequence()).isEqualTo(2);
        assertThat(p.discontinuitySequence()).isEqualTo(1);
        assertThat(p.segments()).noneMatch(MediaSegment::discontinuity);
    }

    @Test
    void sequenceRestartingInANewSessionIsRenumberedToContinue() {
        store.onMediaRecord(segment("s1", "a", "720p", 40, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 41, 2.0, 10));
        store.onMediaRecord(segment("s1", "b", "720p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "b", "720p", 1, 2.0, 10));
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.segments()).extracting(MediaSegment::sequence).containsExactly(41L, 42L, 43L);
        assertThat(p.segments()).extracting(MediaSegment::discontinuity).containsExactly(false, true, false);
    }

    @Test
    void replayedSegmentsAreIgnoredAndGapsAreDiscontinuities() {
        store.onMediaRecord(segment("s1", "a", "720p", 5, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 6, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 6, 2.0, 10)); // at-least-once replay
        store.onMediaRecord(segment("s1", "a", "720p", 9, 2.0, 10)); // GOPs 7 and 8 lost
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        // numbers are the transcoder's; the two it skipped are listed as gaps (EXT-X-GAP), the next is a discontinuity
        assertThat(p.segments()).extracting(MediaSegment::sequence).containsExactly(7L, 8L, 9L);
        assertThat(p.segments()).extracting(MediaSegment::gap).containsExactly(true, true, false);
        assertThat(p.segments()).extracting(MediaSegment::discontinuity).containsExactly(false, false, true);
        assertThat(store.totalBytes()).as("5 and 6 left the window, still downloadable; 9").isEqualTo(30);
        // the API reports what was skipped: the transcoder's overload policy (or a failover) made the gap
        assertThat(store.renditions("s1")).singleElement().satisfies(r -> assertThat(r.skippedSegments()).isEqualTo(2));
        store.onMediaRecord(segment("s1", "b", "720p", 20, 2.0, 10)); // a new session numbers on: not a skip
        assertThat(store.renditions("s1").get(0).skippedSegments()).isEqualTo(2);
    }

    @Test
    void transcoderDiscontinuityFlagIsKept() {
        store.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 1, 2.0, 10, 1000, true));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().segments())
                .extracting(MediaSegment::discontinuity).containsExactly(false, true);
    }

    @Test
    void endWithoutKnownRenditionEndsAllAndStaleEndIsIgnored() {
        store.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "360p", 0, 2.0, 10));
        store.onMediaRecord(end("s1", "old-session", "720p"));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().ended()).isFalse();

        store.onMediaRecord(end("s1", "a", "*"));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().ended()).isTrue();
        assertThat(store.mediaPlaylist("s1", "360p").orElseThrow().ended()).isTrue();
        assertThat(store.renditions("s1")).allMatch(RenditionInfo::ended);
    }

    @Test
    void endOfUnknownStreamCreatesNothingButALowLatencyPartOpensTheStream() {
        store.onMediaRecord(end("ghost", "a", "720p"));
        MediaRecord part = new MediaRecord("s2", "a", "720p", MediaRecord.Type.PART, 0, 0, 0.5, 0, true, false,
                null, 0, 0, 0, 0, 0, new byte[10]);
        store.onMediaRecord(part);
        assertThat(store.hasStream("ghost")).isFalse();
        assertThat(store.hasStream("s2")).isTrue(); // LL-HLS players can start from the first part
        assertThat(store.part("s2", "720p", 0, 0)).isPresent();
        assertThat(store.renditions("s2")).as("the master lists whole segments' renditions only").isEmpty();
    }

    @Test
    void masterOrdersRenditionsByBandwidthAndMeasuresAverage() {
        // 720p: 250 000 bytes per 2 s = 1 Mbit/s measured, declared 2 Mbit/s peak
        store.onMediaRecord(segment("s1", "a", "360p", 0, 2.0, 50_000, 800_000, false));
        store.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 250_000, 2_000_000, false));
        store.onMediaRecord(segment("s1", "a", "720p", 1, 2.0, 250_000, 2_000_000, false));
        // audio declares less than it measures: 100 000 bytes per 4 s = 200 kbit/s
        store.onMediaRecord(segment("s1", "a", "audio", 0, 4.0, 100_000, 128_000, false));

        MasterPlaylist master = store.masterPlaylist("s1", r -> r + "/index.m3u8").orElseThrow();
        assertThat(master.variants()).containsExactly(
                new Variant("720p/index.m3u8", 2_000_000, 1_000_000, 1280, 720, 30, "avc1.64001f,mp4a.40.2"),
                new Variant("360p/index.m3u8", 800_000, 200_000, 640, 360, 30, "avc1.64001f,mp4a.40.2"),
                new Variant("audio/index.m3u8", 200_000, 200_000, 0, 0, 0, "mp4a.40.2"));
        assertThat(store.masterPlaylist("nope", r -> r)).isEmpty();
    }

    @Test
    void memoryStaysWithinBudgetByEvictingEndedThenOldestStreams() {
        SegmentStore small = new SegmentStore(new StoreConfig(2, 1000, 2, 6000, 60_000));
        for (long seq = 0; seq < 4; seq++) small.onMediaRecord(segment("old", "a", "720p", seq, 2.0, 500)); // 2000 B held: 2 listed, 2 just removed
        for (long seq = 0; seq < 4; seq++) small.onMediaRecord(segment("done", "a", "720p", seq, 2.0, 500)); // 2000 B
        small.onMediaRecord(end("done", "a", "720p"));
        for (long seq = 0; seq < 4; seq++) small.onMediaRecord(segment("mid", "a", "720p", seq, 2.0, 500)); // 2000 B
        assertThat(small.totalBytes()).isEqualTo(6000);
        assertThat(small.streamIds()).containsExactlyInAnyOrder("old", "done", "mid");

        small.onMediaRecord(segment("new", "a", "720p", 0, 2.0, 500));
        assertThat(small.streamIds()).containsExactlyInAnyOrder("old", "mid", "new"); // the ended one goes first
        small.onMediaRecord(segment("new", "a", "720p", 1, 2.0, 500));
        small.onMediaRecord(segment("old", "a", "720p", 4, 2.0, 500));
        small.onMediaRecord(segment("mid", "a", "720p", 4, 2.0, 500)); // "new" is now the least recently updated
        assertThat(small.totalBytes()).isEqualTo(6000);

        small.onMediaRecord(segment("newer", "a", "720p", 0, 2.0, 500));
        assertThat(small.totalBytes()).isLessThanOrEqualTo(6000);
        assertThat(small.streamIds()).containsExactlyInAnyOrder("old", "mid", "newer");
        assertThat(small.segment("new", "720p", 1)).isEmpty();
    }

    @Test
    void oversizedSegmentsExtraRenditionsAndUnservableNamesAreDropped() {
        SegmentStore small = new SegmentStore(new StoreConfig(2, 1000, 2, 1_000_000, 60_000));
        small.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 1001));
        assertThat(small.hasStream("s1")).isFalse();

        small.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 10));
        small.onMediaRecord(segment("s1", "a", "480p", 0, 2.0, 10));
        small.onMediaRecord(segment("s1", "a", "360p", 0, 2.0, 10));
        assertThat(small.renditions("s1")).extracting(RenditionInfo::rendition).containsExactly("720p", "480p");

        small.onMediaRecord(segment("../etc", "a", "720p", 0, 2.0, 10));
        small.onMediaRecord(segment("s3", "a", "..", 0, 2.0, 10));
        assertThat(small.streamIds()).containsExactly("s1");
    }

    @Test
    void renditionsOfAStreamKeepTheirOwnWindows() {
        store.onMediaRecord(segment("s1", "a", "720p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "360p", 0, 2.0, 10));
        store.onMediaRecord(segment("s1", "a", "360p", 1, 2.0, 10));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().segments()).hasSize(1);
        assertThat(store.mediaPlaylist("s1", "360p").orElseThrow().segments()).hasSize(2);
        assertThat(store.mediaPlaylist("s1", "1080p")).isEmpty();
        assertThat(List.of(store.hasRendition("s1", "720p"), store.hasRendition("s1", "1080p"))).containsExactly(true, false);
    }

    @Test
    void streamsWithoutMediaForTheExpiryPeriodAreDropped() {
        FakeClock clock = new FakeClock(TestRecords.T0);
        SegmentStore expiring = new SegmentStore(StoreConfig.DEFAULTS.withIdleExpiryMs(60_000), clock);
        expiring.onMediaRecord(segment("quiet", "a", "720p", 0, 2.0, 10));
        clock.advance(30_000);
        expiring.onMediaRecord(segment("busy", "a", "720p", 0, 2.0, 10));
        clock.advance(30_000);
        assertThat(expiring.expireIdle()).isZero();
        clock.advance(1);
        assertThat(expiring.expireIdle()).isEqualTo(1);
        assertThat(expiring.streamIds()).containsExactly("busy");
        assertThat(expiring.totalBytes()).isEqualTo(10);
    }
}
