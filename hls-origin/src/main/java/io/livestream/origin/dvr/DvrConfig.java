package io.livestream.origin.dvr;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where recordings go and how long they stay.
 *
 * @param directory one sub-directory per session: {@code <sessionId>/<rendition>/<seq>.ts}, {@code segments.log}, {@code session.json}
 * @param dvrWindow how far back the live DVR playlist lets a viewer seek
 * @param retention sessions that ended (or last grew) longer ago than this are deleted by {@link RecordingStore#sweep()}
 * @param openSessionTimeout a session with no END and no new segment for this long is treated as ended (its END was lost)
 */
public record DvrConfig(Path directory, Duration dvrWindow, Duration retention, Duration openSessionTimeout) {
    public static final Path DEFAULT_DIRECTORY = Path.of("data", "recordings");

    public static DvrConfig defaults() {
        return new DvrConfig(DEFAULT_DIRECTORY, Duration.ofHours(2), Duration.ofDays(7), Duration.ofMinutes(1));
    }

    public DvrConfig withDirectory(Path newDirectory) {
        return new DvrConfig(newDirectory, dvrWindow, retention, openSessionTimeout);
    }

    public DvrConfig withDvrWindow(Duration window) {
        return new DvrConfig(directory, window, retention, openSessionTimeout);
    }

    public DvrConfig withRetention(Duration newRetention) {
        return new DvrConfig(directory, dvrWindow, newRetention, openSessionTimeout);
    }
}
