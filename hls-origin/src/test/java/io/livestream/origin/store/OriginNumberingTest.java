package io.livestream.origin.store;

import static io.livestream.origin.store.TestRecords.T0;
import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.playlist.PlaylistWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two origins behind one cache must number every segment alike, whenever each started reading: one that read the
 * stream from its start and one restarted after a transcoder gap (which rebuilt its window from the look-back).
 */
class OriginNumberingTest {
    /** A session's segments as the transcoder numbers them after a restore skipped its GOPs 7 to 9. */
    private static List<MediaRecord> streamWithASkip() {
        List<MediaRecord> records = new ArrayList<>();
        for (long n = 0; n <= 6; n++) records.add(at(segment("s1", "a", "720p", n, 1.0, 10), T0 + n * 1000));
        // the GOPs 7, 8 and 9 never came (their media time, 3 s, passed all the same)
        for (long n = 10; n <= 20; n++) records.add(at(segment("s1", "a", "720p", n, 1.0, 10, 128_000, n == 10), T0 + n * 1000));
        return records;
    }

    private static MediaRecord at(MediaRecord r, long wallClockMs) {
        return new MediaRecord(r.streamId(), r.sessionId(), r.rendition(), r.type(), r.sequence(), r.partIndex(), r.durationSec(), r.ptsMs(),
                r.independent(), r.discontinuity(), r.codecs(), r.width(), r.height(), r.frameRate(), r.bandwidth(), wallClockMs, r.payload());
    }

    private static Map<Long, String> listed(SegmentStore store) {
        Map<Long, String> byNumber = new LinkedHashMap<>();
        for (MediaSegment s : store.mediaPlaylist("s1", "720p").orElseThrow().segments()) {
            byNumber.put(s.sequence(), s.gap() ? "gap" : store.segment("s1", "720p", s.sequence()).orElseThrow().etag());
        }
        return byNumber;
    }

    @Test
    void anOriginThatStartedAfterAGapNumbersEverySegmentAsTheOneThatSawIt() {
        List<MediaRecord> records = streamWithASkip();
        SegmentStore sawEverything = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(6));
        SegmentStore restarted = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(6));
        List<Map<Long, String>> whileLive = new ArrayList<>();
        for (MediaRecord r : records) {
            sawEverything.onMediaRecord(r);
            if (r.sequence() >= 12) { // its look-back began after the gap
                restarted.onMediaRecord(r);
                Map<Long, String> theirs = listed(restarted);
                Map<Long, String> ours = listed(sawEverything);
                theirs.forEach((number, etag) -> {
                    if (ours.containsKey(number)) assertThat(ours.get(number)).as("segment %d on either origin", number).isEqualTo(etag);
                });
                whileLive.add(theirs);
            }
        }
        assertThat(listed(restarted)).isEqualTo(listed(sawEverything));
        assertThat(listed(sawEverything).keySet()).containsExactly(15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(whileLive).isNotEmpty();
    }

    @Test
    void skippedNumbersAreGapsOfTheMissingMediaTimeWithTheirDateAndNeverServed() {
        SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(6));
        streamWithASkip().stream().filter(r -> r.sequence() <= 10).forEach(store::onMediaRecord);

        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.mediaSequence()).isEqualTo(5);
        assertThat(p.segments()).extracting(MediaSegment::sequence).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(p.segments()).extracting(MediaSegment::gap).containsExactly(false, false, true, true, true, false);
        assertThat(p.segments()).extracting(MediaSegment::discontinuity).containsExactly(false, false, false, false, false, true);
        // segment 6 ended at T0 + 7 s and segment 10 starts at T0 + 10 s: 3 s over three numbers
        assertThat(p.segments().subList(2, 5)).extracting(MediaSegment::durationSec).containsOnly(1.0);
        assertThat(p.segments().subList(2, 5)).extracting(MediaSegment::programDateTimeMs).containsExactly(T0 + 7000, T0 + 8000, T0 + 9000);
        for (long gap = 7; gap <= 9; gap++) assertThat(store.segment("s1", "720p", gap)).isEmpty();

        String text = PlaylistWriter.write(p);
        assertThat(text).contains("#EXT-X-VERSION:8\n");
        assertThat(text).contains("#EXT-X-GAP\n#EXTINF:1.000,\n7.ts\n");
        assertThat(text.split("#EXT-X-GAP\n", -1)).hasSize(4);
        assertThat(text).contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:");
    }

    @Test
    void aGapLongerThanTheWindowListsOnlyWhatTheWindowHolds() {
        SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(4));
        store.onMediaRecord(at(segment("s1", "a", "720p", 0, 1.0, 10), T0));
        store.onMediaRecord(at(segment("s1", "a", "720p", 500, 1.0, 10), T0 + 500_000)); // a long outage skipped
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.segments()).extracting(MediaSegment::sequence).containsExactly(497L, 498L, 499L, 500L);
        assertThat(p.segments()).extracting(MediaSegment::durationSec).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(1.0));
        assertThat(store.renditions("s1").get(0).skippedSegments()).isEqualTo(499);
    }

    @Test
    void aNewSessionNumberedBelowTheWindowIsShiftedUpAndAStaleRecordOfTheOldOneIsDropped() {
        SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(6));
        store.onMediaRecord(segment("s1", "a", "720p", 40, 1.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 41, 1.0, 10));
        store.onMediaRecord(segment("s1", "b", "720p", 0, 1.0, 10)); // a transcoder that lost its state numbers from 0
        store.onMediaRecord(segment("s1", "b", "720p", 1, 1.0, 10));
        store.onMediaRecord(segment("s1", "a", "720p", 41, 1.0, 10)); // a late replay of the old session
        store.onMediaRecord(segment("s1", "b", "720p", 2, 1.0, 10));
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.segments()).extracting(MediaSegment::sequence).containsExactly(40L, 41L, 42L, 43L, 44L);
        assertThat(p.segments()).extracting(MediaSegment::gap).containsOnly(false);
        assertThat(p.segments()).extracting(MediaSegment::discontinuity).containsExactly(false, false, true, false, false);
    }
}
