package io.livestream.origin.store;

import static io.livestream.origin.store.TestRecords.end;
import static io.livestream.origin.store.TestRecords.part;
import static io.livestream.origin.store.TestRecords.segment;
import static io.livestream.origin.store.TestRecords.segmentOfParts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.playlist.LowLatency;
import io.livestream.origin.playlist.MediaPart;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.playlist.RenditionReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parts in the window: the open segment, attachment to their segment, listing and retention by age. */
class LowLatencyWindowTest {
    private final SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(12));
    private final List<String> updates = new ArrayList<>();

    LowLatencyWindowTest() {
        store.addUpdateListener((stream, rendition) -> updates.add(stream + "/" + rendition));
    }

    /** Segment {@code seq} of 1 s as 4 parts of 0.25 s, then the segment. */
    private void wholeSegment(String rendition, long seq) {
        for (int i = 0; i < 4; i++) store.onMediaRecord(part("s1", "a", rendition, seq, i, 0.25, 188));
        store.onMediaRecord(segmentOfParts("s1", "a", rendition, seq, 4, 0.25));
    }

    @Test
    void aRestoredMuxerWhoseDiscontinuityCameOnAReplayStartsADiscontinuityWhereItsMediaIsFirstTaken() {
        for (long seq = 3; seq <= 5; seq++) wholeSegment("720p", seq);
        store.onMediaRecord(part("s1", "a", "720p", 6, 0, 0.25, 188)); // segment 6 in flight when the job died
        // the restored job's new muxer starts at GOP 5 (after its checkpoint), flagged; 5 is listed already
        MediaRecord replayedPart = part("s1", "a", "720p", 5, 0, 0.25, 188);
        store.onMediaRecord(new MediaRecord(replayedPart.streamId(), replayedPart.sessionId(), replayedPart.rendition(), replayedPart.type(),
                5, 0, 0.25, replayedPart.ptsMs(), true, true, null, 0, 0, 0, 0, replayedPart.wallClockMs(), replayedPart.payload()));
        store.onMediaRecord(segment("s1", "a", "720p", 5, 1.0, 100, 128_000, true));
        // then its parts of segment 6 replace the dead muxer's: that is where the player's timeline changes
        store.onMediaRecord(part("s1", "a", "720p", 6, 0, 0.25, 188));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().lowLatency().openDiscontinuity()).isTrue();
        for (int i = 1; i < 4; i++) store.onMediaRecord(part("s1", "a", "720p", 6, i, 0.25, 188));
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", 6, 4, 0.25));
        wholeSegment("720p", 7);
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().segments()).extracting(MediaSegment::sequence, MediaSegment::discontinuity)
                .containsExactly(tuple(3L, false), tuple(4L, false), tuple(5L, false), tuple(6L, true), tuple(7L, false));
    }

    @Test
    void partsOfTheOpenSegmentAreListedAfterTheLastSegmentWithAHintForTheNext() {
        wholeSegment("720p", 4);
        store.onMediaRecord(part("s1", "a", "720p", 5, 0, 0.25, 188));
        store.onMediaRecord(part("s1", "a", "720p", 5, 1, 0.25, 188));

        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        LowLatency ll = p.lowLatency();
        assertThat(ll.partTargetSec()).isEqualTo(0.25);
        assertThat(ll.openParts()).extracting(MediaPart::uri).containsExactly("5.0.ts", "5.1.ts");
        assertThat(ll.openParts()).extracting(MediaPart::independent).containsExactly(true, false);
        assertThat(ll.preloadHintUri()).isEqualTo("5.2.ts");
        assertThat(store.liveEdge("s1", "720p")).hasValue(new LiveEdge(4, 5, 2, false, 1));
        assertThat(store.part("s1", "720p", 5, 1)).hasValueSatisfying(part -> assertThat(part.bytes()).hasSize(188));
        assertThat(updates).hasSize(7).allMatch("s1/720p"::equals);

        store.onMediaRecord(part("s1", "a", "720p", 5, 2, 0.25, 188));
        store.onMediaRecord(part("s1", "a", "720p", 5, 3, 0.25, 188));
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", 5, 4, 0.25));
        p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.segments()).extracting(MediaSegment::uri).containsExactly("4.ts", "5.ts");
        assertThat(p.segments().get(1).parts()).extracting(MediaPart::uri).containsExactly("5.0.ts", "5.1.ts", "5.2.ts", "5.3.ts");
        assertThat(p.lowLatency().openParts()).isEmpty();
        assertThat(p.lowLatency().preloadHintUri()).isEqualTo("6.0.ts");
        assertThat(store.liveEdge("s1", "720p")).hasValue(new LiveEdge(5, 6, 0, false, 1));
    }

    @Test
    void partsAreListedForTheLastThreeTargetDurationsAndKeptForThreeMore() {
        for (long seq = 0; seq < 10; seq++) wholeSegment("720p", seq);
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        List<Long> listed = p.segments().stream().filter(s -> !s.parts().isEmpty()).map(MediaSegment::sequence).toList();
        assertThat(listed).containsExactly(7L, 8L, 9L); // they end 2, 1 and 0 s (< 3 x 1 s) before the end
        assertThat(store.part("s1", "720p", 6, 0)).as("not listed, still downloadable").isPresent();
        assertThat(store.part("s1", "720p", 3, 3)).as("ends 6 s before the end").isPresent();
        assertThat(store.part("s1", "720p", 2, 0)).as("ends 7 s before the end").isEmpty();
        // bytes: 10 segments of 100 + the parts of 3..9 (7 x 4 x 188)
        assertThat(store.totalBytes()).isEqualTo(10 * 100 + 7 * 4 * 188);
    }

    @Test
    void outOfOrderOrReplayedPartsAreDroppedSoListedPartsStayContiguous() {
        wholeSegment("720p", 0);
        store.onMediaRecord(part("s1", "a", "720p", 0, 1, 0.25, 188)); // replay of a whole segment's part
        store.onMediaRecord(part("s1", "a", "720p", 1, 1, 0.25, 188)); // part 1 before part 0
        assertThat(store.liveEdge("s1", "720p").orElseThrow().openParts()).isZero();
        store.onMediaRecord(part("s1", "a", "720p", 1, 0, 0.25, 188));
        store.onMediaRecord(part("s1", "a", "720p", 1, 0, 0.25, 188)); // duplicate of part 0: starts over, still one
        store.onMediaRecord(part("s1", "a", "720p", 1, 2, 0.25, 188)); // gap
        assertThat(store.liveEdge("s1", "720p").orElseThrow().openParts()).isEqualTo(1);
    }

    @Test
    void aTranscoderGapIsListedAsAGapBeforeTheOpenSegmentsParts() {
        wholeSegment("720p", 0);
        // the transcoder lost its GOP 1: the number is listed as a gap as soon as segment 2's parts come
        store.onMediaRecord(part("s1", "a", "720p", 2, 0, 0.25, 188));
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.lowLatency().openParts()).extracting(MediaPart::uri).containsExactly("2.0.ts");
        assertThat(p.lowLatency().openDiscontinuity()).isTrue();
        assertThat(p.segments()).extracting(MediaSegment::uri, MediaSegment::gap)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0.ts", false), org.assertj.core.groups.Tuple.tuple("1.ts", true));
        assertThat(store.liveEdge("s1", "720p").orElseThrow().openMsn()).isEqualTo(2);
        for (int i = 1; i < 4; i++) store.onMediaRecord(part("s1", "a", "720p", 2, i, 0.25, 188));
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", 2, 4, 0.25));
        p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.segments()).extracting(MediaSegment::uri, MediaSegment::gap, MediaSegment::discontinuity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("0.ts", false, false), org.assertj.core.groups.Tuple.tuple("1.ts", true, false),
                org.assertj.core.groups.Tuple.tuple("2.ts", false, true));
        assertThat(p.segments().get(2).parts()).hasSize(4);
        assertThat(store.segment("s1", "720p", 1)).as("a gap is never served").isEmpty();
    }

    @Test
    void eachRungReportsTheOthersLiveEdgeAndAnEndedPlaylistHintsNothing() {
        wholeSegment("720p", 0);
        wholeSegment("360p", 0);
        store.onMediaRecord(part("s1", "a", "360p", 1, 0, 0.25, 188));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().lowLatency().renditionReports())
                .containsExactly(new RenditionReport("../360p/index.m3u8", 1, 0));
        assertThat(store.mediaPlaylist("s1", "360p").orElseThrow().lowLatency().renditionReports())
                .containsExactly(new RenditionReport("../720p/index.m3u8", 0, 3));

        store.onMediaRecord(end("s1", "a", "720p"));
        assertThat(store.liveEdge("s1", "720p").orElseThrow().ended()).isTrue();
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().lowLatency().preloadHintUri()).isNull();

        // a new publishing session's first part makes the playlist live again, after a discontinuity
        store.onMediaRecord(part("s1", "b", "720p", 1, 0, 0.25, 188));
        MediaPlaylist p = store.mediaPlaylist("s1", "720p").orElseThrow();
        assertThat(p.ended()).isFalse();
        assertThat(p.lowLatency().openDiscontinuity()).isTrue();
        assertThat(p.lowLatency().preloadHintUri()).isEqualTo("1.1.ts");
    }

    @Test
    void withoutPartsThePlaylistHasNoLowLatencyTags() {
        store.onMediaRecord(segmentOfParts("s1", "a", "720p", 0, 4, 0.25));
        assertThat(store.mediaPlaylist("s1", "720p").orElseThrow().lowLatency()).isNull();
    }
}
