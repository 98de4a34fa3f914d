package io.livestream.origin.store;

import static io.livestream.origin.store.TestRecords.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.playlist.PlaylistWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fMP4 window of a rendition beside its MPEG-TS one: INIT records, .m4s names, EXT-X-MAP. */
class Fmp4WindowTest {
    private final SegmentStore store = new SegmentStore();

    /** Segment {@code seq} of two 1 s parts in both containers, the fMP4 part 0 after an INIT, as the transcoder sends it. */
    private void both(long seq, int initVariant) {
        store.onMediaRecord(part("s", "a", "720p", seq, 0, 1.0, 10));
        store.onMediaRecord(init("s", "a", "720p", seq, initVariant));
        store.onMediaRecord(fmp4(part("s", "a", "720p", seq, 0, 1.0, 10)));
        store.onMediaRecord(part("s", "a", "720p", seq, 1, 1.0, 10));
        store.onMediaRecord(fmp4(part("s", "a", "720p", seq, 1, 1.0, 10)));
        store.onMediaRecord(segment("s", "a", "720p", seq, 2.0, 20));
        store.onMediaRecord(fmp4(segment("s", "a", "720p", seq, 2.0, 20)));
    }

    @Test
    void theFmp4PlaylistNamesM4sFilesAfterItsInitAndTheTsPlaylistStaysAsItWas() {
        both(0, 1);
        both(1, 1);
        String fmp4 = PlaylistWriter.write(store.mediaPlaylist("s", Container.FMP4, "720p").orElseThrow());
        StoredInit init = StoredInit.of(init("s", "a", "720p", 0, 1).payload());
        assertThat(fmp4).contains("#EXT-X-MAP:URI=\"" + init.uri() + "\"\n").contains("0.m4s\n", "1.1.m4s").doesNotContain(".ts");
        assertThat(fmp4.split("EXT-X-MAP", -1)).as("one init for the session").hasSize(2);
        assertThat(store.init("s", "720p", init.id())).hasValueSatisfying(i -> assertThat(i.bytes()).isEqualTo(init.bytes()));

        String ts = PlaylistWriter.write(store.mediaPlaylist("s", Container.TS, "720p").orElseThrow());
        assertThat(ts).contains("0.ts\n", "1.1.ts").doesNotContain("EXT-X-MAP", ".m4s");
        assertThat(store.segment("s", Container.FMP4, "720p", 1).orElseThrow().bytes())
                .isNotEqualTo(store.segment("s", Container.TS, "720p", 1).orElseThrow().bytes());
        assertThat(store.masterPlaylist("s", Container.FMP4, r -> r + "/index.m3u8").orElseThrow().variants()).hasSize(1);
    }

    @Test
    void aNewInitSegmentGetsANewMapAndTheOldOneGoesWithItsLastSegment() {
        StoreConfig d = StoreConfig.DEFAULTS;
        SegmentStore windowOf3 = new SegmentStore(new StoreConfig(3, d.maxSegmentBytes(), d.maxRenditionsPerStream(), d.maxTotalBytes(), d.idleExpiryMs()));
        feedInto(windowOf3, 0, 1);
        feedInto(windowOf3, 1, 2);
        MediaPlaylist p = windowOf3.mediaPlaylist("s", Container.FMP4, "720p").orElseThrow();
        String first = StoredInit.of(init("s", "a", "720p", 0, 1).payload()).uri();
        String second = StoredInit.of(init("s", "a", "720p", 0, 2).payload()).uri();
        assertThat(p.segments()).extracting(MediaSegment::mapUri).containsExactly(first, second);
        for (long seq = 2; seq < 5; seq++) feedInto(windowOf3, seq, 2);
        assertThat(windowOf3.mediaPlaylist("s", Container.FMP4, "720p").orElseThrow().segments()).extracting(MediaSegment::mapUri)
                .containsOnly(second);
        // segment 0 left the playlist but is still downloadable (RFC 8216 6.2.2), and so is the init it decodes after
        assertThat(windowOf3.init("s", "720p", first.substring(5, first.length() - 4))).isPresent();
        for (long seq = 5; seq < 9; seq++) feedInto(windowOf3, seq, 2);
        assertThat(windowOf3.init("s", "720p", first.substring(5, first.length() - 4))).as("no segment refers to it").isEmpty();
    }

    @Test
    void fmp4MediaBeforeAnyInitIsNotListedAsNoPlayerCouldDecodeIt() {
        store.onMediaRecord(fmp4(part("s", "a", "720p", 0, 1, 1.0, 10))); // an origin that started mid-segment
        store.onMediaRecord(fmp4(segment("s", "a", "720p", 0, 2.0, 20)));
        assertThat(store.mediaPlaylist("s", Container.FMP4, "720p").orElseThrow().segments()).isEmpty();
        both(1, 1);
        assertThat(store.mediaPlaylist("s", Container.FMP4, "720p").orElseThrow().segments()).extracting(MediaSegment::sequence).containsExactly(1L);
    }

    @Test
    void anEndEndsBothContainers() {
        both(0, 1);
        store.onMediaRecord(end("s", "a", "720p"));
        assertThat(store.mediaPlaylist("s", Container.FMP4, "720p").orElseThrow().ended()).isTrue();
        assertThat(store.mediaPlaylist("s", Container.TS, "720p").orElseThrow().ended()).isTrue();
    }

    private static void feedInto(SegmentStore target, long seq, int initVariant) {
        target.onMediaRecord(init("s", "a", "720p", seq, initVariant));
        target.onMediaRecord(fmp4(part("s", "a", "720p", seq, 0, 1.0, 10)));
        target.onMediaRecord(fmp4(segment("s", "a", "720p", seq, 1.0, 20)));
    }
}
