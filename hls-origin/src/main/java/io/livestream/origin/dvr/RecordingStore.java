package io.livestream.origin.dvr;

import io.livestream.common.json.Json;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.time.Clock;
import io.livestream.origin.ingest.MediaRecordListener;
import io.livestream.origin.store.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings on local disk: fed every {@code live.media} record by the origin's consumer (one writer thread),
 * read by the HTTP handlers.
 *
 * <p>Layout: {@code <dir>/<sessionId>/session.json}, {@code <dir>/<sessionId>/<rendition>/<seq>.ts} and
 * {@code <dir>/<sessionId>/<rendition>/segments.log}. A segment file is written under a temporary name and renamed,
 * then its line is appended to the log, so a crash leaves at worst a segment without a line (invisible) or a torn
 * last line (skipped). A replayed segment (at-least-once delivery, an origin restart re-reading its lookback)
 * overwrites the same file and its later log line wins.
 */
public final class RecordingStore implements MediaRecordListener {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStore.class);
    static final String MANIFEST = "session.json";
    static final String SEGMENT_LOG = "segments.log";
    private static final String TMP_SUFFIX = java.util.UUID.randomUUID() + ".tmp";

    private final DvrConfig config;
    private final Clock clock;
    private final Map<String, SessionManifest> sessions = new ConcurrentHashMap<>();
    /** Renditions whose log was checked for a torn last line since this process started. */
    private final Map<Path, Boolean> checkedLogs = new ConcurrentHashMap<>();

    public RecordingStore(DvrConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        try {
            Files.createDirectories(config.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the recordings directory " + config.directory(), e);
        }
        load();
    }

    public RecordingStore(DvrConfig config) {
        this(config, Clock.SYSTEM);
    }

    private void load() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(config.directory(), Files::isDirectory)) {
            for (Path dir : dirs) {
                Path manifest = dir.resolve(MANIFEST);
                if (!Files.exists(manifest)) continue;
                try {
                    SessionManifest m = Json.fromBytes(Files.readAllBytes(manifest), SessionManifest.class);
                    sessions.put(m.sessionId(), m);
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("skipping unreadable recording {}: {}", manifest, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("recordings in {}: {} sessions", config.directory().toAbsolutePath(), sessions.size());
    }

    @Override
    public void onMediaRecord(MediaRecord r) {
        if (r.sessionId() == null || !Names.isStreamId(r.sessionId()) || !Names.isStreamId(r.streamId())) return;
        try {
            // recordings keep the MPEG-TS output (VOD and DVR playlists are TS); the fMP4 twin of each segment is skipped
            if (r.type() == MediaRecord.Type.SEGMENT && r.container() == MediaRecord.Container.TS && Names.isRendition(r.rendition())) record(r);
            else if (r.type() == MediaRecord.Type.END) end(r);
        } catch (IOException e) {
            // a full disk must not stop live delivery: log and keep serving
            LOG.warn("could not record {}: {}", r, e.toString());
        }
    }

    private void record(MediaRecord r) throws IOException {
        Path renditionDir = config.directory().resolve(r.sessionId()).resolve(r.rendition());
        Files.createDirectories(renditionDir);
        writeAtomically(renditionDir.resolve(r.sequence() + ".ts"), r.payload());
        Path log = renditionDir.resolve(SEGMENT_LOG);
        if (checkedLogs.putIfAbsent(log, Boolean.TRUE) == null) terminateTornLine(log);
        Files.write(log, new RecordedSegment(r.sequence(), r.durationSec(), r.discontinuity(), r.wallClockMs()).toLine()
                .getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        SessionManifest before = sessions.get(r.sessionId());
        SessionManifest after = before == null
                ? new SessionManifest(SessionManifest.VERSION, r.streamId(), r.sessionId(), r.wallClockMs() > 0 ? r.wallClockMs() : clock.millis(), null, Map.of())
                : before;
        SessionManifest.RenditionMeta meta = new SessionManifest.RenditionMeta(r.codecs(), r.width(), r.height(), r.frameRate(), r.bandwidth());
        if (!meta.equals(after.renditions().get(r.rendition()))) after = after.withRendition(r.rendition(), meta);
        if (after.endedAt() != null) after = after.withEndedAt(null); // the publisher came back within the grace
        if (after != before) {
            if (before == null) LOG.info("recording session {} of stream {}", r.sessionId(), r.streamId());
            saveManifest(after);
        }
    }

    private void end(MediaRecord r) throws IOException {
        SessionManifest m = sessions.get(r.sessionId());
        if (m == null || m.endedAt() != null) return;
        saveManifest(m.withEndedAt(clock.millis()));
        LOG.info("recording of session {} of stream {} complete", r.sessionId(), r.streamId());
    }

    private void saveManifest(SessionManifest m) throws IOException {
        Path dir = config.directory().resolve(m.sessionId());
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(MANIFEST), Json.toBytes(m));
        sessions.put(m.sessionId(), m);
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        // unique per writer: origins sharing one recordings volume each write every segment, and must not write
        // into (or rename away) each other's half-written temporary file
        Path tmp = target.resolveSibling(target.getFileName() + "." + TMP_SUFFIX);
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** After a crash the log may end mid-line; end it so the next append starts a line of its own. */
    private static void terminateTornLine(Path log) throws IOException {
        if (!Files.exists(log) || Files.size(log) == 0) return;
        byte[] all = Files.readAllBytes(log);
        if (all[all.length - 1] != '\n') Files.write(log, new byte[] {'\n'}, StandardOpenOption.APPEND);
    }

    // ---- reading

    public Optional<SessionManifest> session(String sessionId) {
        return Optional.ofNullable(sessionId == null ? null : sessions.get(sessionId));
    }

    /** The stream's recorded sessions, newest first. */
    public List<SessionManifest> sessionsOf(String streamId) {
        return sessions.values().stream().filter(m -> m.streamId().equals(streamId))
                .sorted(Comparator.comparingLong(SessionManifest::startedAt).reversed()).toList();
    }

    /** The stream's newest session, the one a live DVR playlist shows. */
    public Optional<SessionManifest> latestSession(String streamId) {
        return sessionsOf(streamId).stream().findFirst();
    }

    /** The rendition's segments in sequence order, a replayed sequence counted once (its last line). */
    public List<RecordedSegment> segments(String sessionId, String rendition) {
        if (!Names.isStreamId(sessionId) || !Names.isRendition(rendition)) return List.of();
        Path log = config.directory().resolve(sessionId).resolve(rendition).resolve(SEGMENT_LOG);
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TreeMap<Long, RecordedSegment> bySequence = new TreeMap<>();
        for (String line : lines) {
            RecordedSegment s = RecordedSegment.parse(line);
            if (s != null) bySequence.put(s.sequence(), s);
        }
        return new ArrayList<>(bySequence.values());
    }

    public Optional<Path> segmentFile(String sessionId, String rendition, long sequence) {
        if (!Names.isStreamId(sessionId) || !Names.isRendition(rendition)) return Optional.empty();
        Path file = config.directory().resolve(sessionId).resolve(rendition).resolve(sequence + ".ts");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Recorded seconds: the longest rendition's total. */
    public double durationSec(SessionManifest m) {
        double longest = 0;
        for (String rendition : m.renditions().keySet()) {
            longest = Math.max(longest, segments(m.sessionId(), rendition).stream().mapToDouble(RecordedSegment::durationSec).sum());
        }
        return longest;
    }

    /** Whether the session is complete: its END arrived, or nothing was written for the open-session timeout. */
    public boolean isComplete(SessionManifest m) {
        return m.endedAt() != null || clock.millis() - lastWriteMs(m) > config.openSessionTimeout().toMillis();
    }

    private long lastWriteMs(SessionManifest m) {
        long last = m.startedAt();
        for (String rendition : m.renditions().keySet()) {
            try {
                FileTime t = Files.getLastModifiedTime(config.directory().resolve(m.sessionId()).resolve(rendition).resolve(SEGMENT_LOG));
                last = Math.max(last, t.toMillis());
            } catch (IOException e) {
                // no log yet
            }
        }
        return last;
    }

    /** Deletes sessions that ended longer than the retention ago; returns how many. Call periodically. */
    public int sweep() {
        long cutoff = clock.millis() - config.retention().toMillis();
        int deleted = 0;
        for (SessionManifest m : List.copyOf(sessions.values())) {
            long end = m.endedAt() != null ? m.endedAt() : lastWriteMs(m);
            if (end >= cutoff) continue;
            sessions.remove(m.sessionId());
            deleteTree(config.directory().resolve(m.sessionId()));
            deleted++;
            LOG.info("recording of session {} (stream {}) deleted after the {} retention", m.sessionId(), m.streamId(), config.retention());
        }
        return deleted;
    }

    /**
     * Removes a recorded session's files (the API's delete). A live session keeps being written: the caller refuses
     * those. Origins sharing the directory see the files gone; their listings drop it at their next start.
     *
     * @return whether the session was recorded here
     */
    public boolean delete(String sessionId) {
        SessionManifest m = sessionId == null ? null : sessions.remove(sessionId);
        if (m == null) return false;
        deleteTree(config.directory().resolve(m.sessionId()));
        LOG.info("recording of session {} (stream {}) deleted by the API", m.sessionId(), m.streamId());
        return true;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }

    public DvrConfig config() {
        return config;
    }
}
