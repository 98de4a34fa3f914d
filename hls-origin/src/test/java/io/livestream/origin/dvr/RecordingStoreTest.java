package io.livestream.origin.dvr;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord;
import io.livestream.common.time.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingStoreTest {
    private final FakeClock clock = new FakeClock(1_700_000_000_000L);

    @TempDir
    Path dir;

    static MediaRecord segment(String session, String rendition, long seq, double duration, boolean discontinuity, byte[] payload) {
        return new MediaRecord("stream1", session, rendition, MediaRecord.Type.SEGMENT, seq, -1, duration, seq * 2000, true, discontinuity,
                "avc1.42c01e,mp4a.40.2", 640, 360, 30, 1_000_000, 1_700_000_000_000L + seq * 2000, payload);
    }

    static MediaRecord end(String session) {
        return new MediaRecord("stream1", session, "*", MediaRecord.Type.END, 0, -1, 0, 0, false, false, null, 0, 0, 0, 0, 0, null);
    }

    private RecordingStore store() {
        return new RecordingStore(DvrConfig.defaults().withDirectory(dir).withRetention(Duration.ofDays(7)), clock);
    }

    @Test
    void writesSegmentsLogAndManifestAndSurvivesARestart() throws Exception {
        RecordingStore store = store();
        store.onMediaRecord(segment("sessA", "360p", 5, 2.0, false, new byte[] {1}));
        store.onMediaRecord(segment("sessA", "360p", 6, 2.0, false, new byte[] {2}));
        store.onMediaRecord(segment("sessA", "360p", 6, 2.0, false, new byte[] {3})); // at-least-once replay
        store.onMediaRecord(segment("sessA", "720p", 5, 2.0, false, new byte[] {4}));
        assertThat(store.isComplete(store.session("sessA").orElseThrow())).isFalse();
        store.onMediaRecord(end("sessA"));

        assertThat(Files.readAllBytes(dir.resolve("sessA/360p/6.ts"))).containsExactly(3);
        assertThat(dir.resolve("sessA/360p/6.ts.tmp")).doesNotExist();
        assertThat(Files.readString(dir.resolve("sessA/session.json"))).contains("\"streamId\":\"stream1\"").contains("\"endedAt\"");

        RecordingStore reopened = store();
        SessionManifest m = reopened.session("sessA").orElseThrow();
        assertThat(m.renditions()).containsOnlyKeys("360p", "720p");
        assertThat(reopened.isComplete(m)).isTrue();
        assertThat(reopened.segments("sessA", "360p")).extracting(RecordedSegment::sequence).containsExactly(5L, 6L);
        assertThat(reopened.durationSec(m)).isEqualTo(4.0);
        assertThat(reopened.sessionsOf("stream1")).extracting(SessionManifest::sessionId).containsExactly("sessA");
    }

    @Test
    void aTornLastLineIsSkippedAndTheNextAppendStartsAFreshLine() throws Exception {
        RecordingStore store = store();
        store.onMediaRecord(segment("sessB", "360p", 0, 2.0, false, new byte[] {1}));
        Files.writeString(dir.resolve("sessB/360p/segments.log"), "1 2.0", StandardOpenOption.APPEND); // crash mid-line

        RecordingStore reopened = store();
        assertThat(reopened.segments("sessB", "360p")).extracting(RecordedSegment::sequence).containsExactly(0L);
        reopened.onMediaRecord(segment("sessB", "360p", 1, 2.0, false, new byte[] {2}));
        assertThat(reopened.segments("sessB", "360p")).extracting(RecordedSegment::sequence).containsExactly(0L, 1L);
    }

    @Test
    void aResumedSessionReopensAndKeepsItsDiscontinuity() {
        RecordingStore store = store();
        store.onMediaRecord(segment("sessC", "360p", 0, 2.0, false, new byte[] {1}));
        store.onMediaRecord(end("sessC"));
        store.onMediaRecord(segment("sessC", "360p", 1, 2.0, true, new byte[] {2}));
        assertThat(store.session("sessC").orElseThrow().endedAt()).isNull();
        assertThat(store.segments("sessC", "360p").get(1).discontinuity()).isTrue();
    }

    @Test
    void retentionDeletesOldEndedSessionsOnly() {
        RecordingStore store = store();
        store.onMediaRecord(segment("old", "360p", 0, 2.0, false, new byte[] {1}));
        store.onMediaRecord(end("old"));
        clock.advance(Duration.ofDays(7).toMillis() + 1);
        store.onMediaRecord(segment("fresh", "360p", 0, 2.0, false, new byte[] {1}));
        store.onMediaRecord(end("fresh"));

        assertThat(store.sweep()).isEqualTo(1);
        assertThat(dir.resolve("old")).doesNotExist();
        assertThat(store.session("fresh")).isPresent();
    }

    @Test
    void unservableNamesAreNotWritten() {
        RecordingStore store = store();
        store.onMediaRecord(segment("../evil", "360p", 0, 2.0, false, new byte[] {1}));
        store.onMediaRecord(segment("ok", "..", 0, 2.0, false, new byte[] {1}));
        assertThat(dir.toFile().list()).isEmpty();
    }
}
