package io.livestream.origin.store;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.playlist.LowLatency;
import io.livestream.origin.playlist.MediaPart;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.playlist.RenditionReport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sliding window of one rendition of one stream. Not thread-safe: its {@link StreamState} guards it.
 *
 * <p>Numbering: a segment's media sequence number is the transcoder's sequence, so that every origin numbers it the
 * same way whenever it started reading (a restarted origin rebuilds its window from the look-back, the other has
 * read the stream since it began; a cache may ask either). The transcoder numbers by source GOP, so a GOP it skipped
 * (the one in flight at a failover, a backlog it dropped to get back to live) leaves a number that no segment has:
 * HLS numbers must be consecutive, so those numbers are listed as EXT-X-GAP entries (RFC 8216bis 4.4.4.7) of the
 * missing media time, and the next segment gets EXT-X-DISCONTINUITY. A record numbered below what is listed is a
 * replay and dropped, except for a new session the transcoder numbered from below (its state was lost): that session
 * is shifted up to continue. A new session, a segment after END or a transcoder discontinuity gets
 * EXT-X-DISCONTINUITY too.
 *
 * <p>LL-HLS: PART records fill the open segment (the one being written, numbered {@code nextSequence}); its
 * SEGMENT record closes it and its parts stay attached to it. Parts are listed in the playlist for segments starting
 * within {@link #PART_LISTED_TARGET_DURATIONS} target durations of the end, and stay downloadable for as many more.
 *
 * <p>One window holds one container of the rendition: fMP4 (segments {@code .m4s}, each naming the INIT its fragments
 * decode after, listed as EXT-X-MAP) or MPEG-TS ({@code .ts}). The two windows of a rendition see the same cut.
 */
final class RenditionWindow {
    static final int PART_LISTED_TARGET_DURATIONS = 3;
    static final int PART_KEPT_TARGET_DURATIONS = 6;

    private final String rendition;
    private final int windowSize;
    private final MediaRecord.Container container;
    private final String extension;
    /** Init segments of the segments in the window, the open one's and the newest, by id (fMP4 only). */
    private final Map<String, StoredInit> inits = new HashMap<>();
    private StoredInit currentInit;
    private String openInitId;
    private final ArrayDeque<StoredSegment> segments = new ArrayDeque<>();
    /**
     * Segments just removed from the playlist, oldest first: RFC 8216 6.2.2 wants a removed segment to stay available
     * for its duration plus that of the playlist that listed it, for a player (or a cache) holding that playlist.
     */
    private final ArrayDeque<StoredSegment> removed = new ArrayDeque<>();
    /** The number the next entry gets: one past the newest listed segment or gap; -1 before the first. */
    private long nextSequence = -1;
    /**
     * What each session's transcoder sequences are shifted by: 0, unless a session was numbered below what was listed
     * when it first came (see the numbering above). A few recent sessions, as a late record of an older one may come.
     */
    private final Map<String, Long> sessionShifts = new java.util.LinkedHashMap<>(8, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 8;
        }
    };
    private String sessionId;
    private boolean ended;
    private long discontinuitySequence;
    /**
     * A dropped replay carried the transcoder's discontinuity (a restored job's new muxer starts with one, at the first
     * GOP after the checkpoint, which this window has listed already): the first media it accepts from that muxer is
     * where the muxer changed, and is listed as a discontinuity in its place.
     */
    private boolean discontinuityInReplay;
    private long bytes;
    /** Source sequence numbers that never came within a session (see {@link RenditionInfo#skippedSegments()}). */
    private long skippedSegments;

    private String codecs;
    private int width;
    private int height;
    private double frameRate;
    private long declaredBandwidth;

    /** Parts of whole segments, by the origin's sequence number; pruned by age. */
    private final Map<Long, List<StoredPart>> parts = new HashMap<>();
    private final List<StoredPart> openParts = new ArrayList<>();
    private long openSourceSequence = -1;
    private String openSessionId;
    private long openMsn = -1;
    private boolean openDiscontinuity;
    private double partTargetSec;

    RenditionWindow(String rendition, int windowSize, MediaRecord.Container container) {
        this.rendition = rendition;
        this.windowSize = windowSize;
        this.container = container;
        this.extension = container == MediaRecord.Container.FMP4 ? "m4s" : "ts";
    }

    RenditionWindow(String rendition, int windowSize) {
        this(rendition, windowSize, MediaRecord.Container.TS);
    }

    /** An INIT record: the init segment of the parts and segments that follow it; returns the change in stored bytes. */
    long appendInit(MediaRecord r) {
        if (container != MediaRecord.Container.FMP4 || r.payload().length == 0) return 0;
        StoredInit init = StoredInit.of(r.payload());
        currentInit = init;
        if (inits.putIfAbsent(init.id(), init) != null) return 0; // repeated before every segment: usually the same
        bytes += init.bytes().length;
        return init.bytes().length;
    }

    /** Drops init segments no segment, open part or the newest INIT refers to; returns the bytes freed. */
    private long pruneInits() {
        if (inits.size() <= 1) return 0;
        java.util.Set<String> used = new java.util.HashSet<>();
        if (currentInit != null) used.add(currentInit.id());
        if (openInitId != null) used.add(openInitId);
        for (StoredSegment s : segments) if (s.initId() != null) used.add(s.initId());
        for (StoredSegment s : removed) if (s.initId() != null) used.add(s.initId());
        long freed = 0;
        for (Iterator<StoredInit> it = inits.values().iterator(); it.hasNext(); ) {
            StoredInit i = it.next();
            if (!used.contains(i.id())) {
                freed += i.bytes().length;
                it.remove();
            }
        }
        return freed;
    }

    /** fMP4 media before any INIT (an origin that started reading mid-segment) cannot be played: it waits for one. */
    private boolean needsInit() {
        return container == MediaRecord.Container.FMP4 && currentInit == null;
    }

    StoredInit init(String id) {
        return inits.get(id);
    }

    private String currentInitId() {
        return currentInit == null ? null : currentInit.id();
    }

    /** Appends a SEGMENT record; returns the change in stored bytes (0 for a dropped replay). */
    long append(MediaRecord r) {
        if (needsInit()) return 0;
        boolean started = nextSequence >= 0;
        boolean sameSession = started && Objects.equals(sessionId, r.sessionId());
        long sequence = sequenceOf(r);
        if (started && sequence < nextSequence) { // a replay (at-least-once, a restore) or a stale session's
            if (r.discontinuity() && sameSession) discontinuityInReplay = true;
            return 0;
        }
        boolean ownParts = !openParts.isEmpty() && openMsn == sequence && openSourceSequence == r.sequence()
                && Objects.equals(openSessionId, r.sessionId());
        boolean gap = started && sequence > nextSequence;
        boolean discontinuity = started && (!sameSession || ended || gap || r.discontinuity() || discontinuityInReplay)
                || ownParts && openDiscontinuity;
        discontinuityInReplay = false;
        long delta = 0;
        if (gap) delta += listGap(sequence, r.wallClockMs(), sameSession);
        String initId = ownParts && openInitId != null ? openInitId : currentInitId();
        StoredSegment segment = StoredSegment.of(sequence, r.durationSec(), r.wallClockMs(), discontinuity, r.payload(), initId);
        if (ownParts) parts.put(sequence, List.copyOf(openParts));
        else delta -= bytesOf(openParts);
        delta += segment.bytes().length;
        openParts.clear();
        openSourceSequence = -1;
        openInitId = null;
        delta += list(segment);
        delta -= pruneRemoved();
        delta -= pruneParts();
        bytes += delta;
        long initsFreed = pruneInits(); // subtracted from bytes where it is counted
        bytes -= initsFreed;
        delta -= initsFreed;
        nextSequence = sequence + 1;
        sessionId = r.sessionId();
        ended = false;
        if (r.codecs() != null) codecs = r.codecs();
        if (r.width() > 0) width = r.width();
        if (r.height() > 0) height = r.height();
        if (r.frameRate() > 0) frameRate = r.frameRate();
        if (r.bandwidth() > 0) declaredBandwidth = r.bandwidth();
        return delta;
    }

    /** The media sequence number of a record: the transcoder's sequence, shifted for a session numbered from below. */
    private long sequenceOf(MediaRecord r) {
        Long shift = sessionShifts.get(r.sessionId());
        if (shift == null) {
            boolean below = nextSequence >= 0 && !Objects.equals(sessionId, r.sessionId()) && r.sequence() < nextSequence;
            shift = below ? nextSequence - r.sequence() : 0L;
            sessionShifts.put(r.sessionId(), shift);
        }
        return r.sequence() + shift;
    }

    /** Adds a segment or gap at the end of the window, sliding the oldest out; returns the change in stored bytes. */
    private long list(StoredSegment entry) {
        segments.addLast(entry);
        long delta = 0;
        while (segments.size() > windowSize) {
            StoredSegment dropped = segments.removeFirst();
            if (dropped.discontinuity()) discontinuitySequence++;
            if (dropped.gap()) continue; // nothing to download
            removed.addLast(dropped);
            List<StoredPart> droppedParts = parts.remove(dropped.sequence());
            if (droppedParts != null) delta -= bytesOf(droppedParts);
        }
        return delta;
    }

    /**
     * Lists the numbers from {@code nextSequence} up to {@code sequence} as gaps, sharing the media time between the
     * newest entry's end and {@code nextWallClockMs} (each at most the target duration, which must not grow); only
     * as many as the window holds. Returns the change in stored bytes.
     */
    private long listGap(long sequence, long nextWallClockMs, boolean sameSession) {
        long missing = sequence - nextSequence;
        if (sameSession) skippedSegments += missing;
        StoredSegment newest = segments.peekLast();
        double each = newest == null ? 1 : newest.durationSec();
        long from = newest == null || newest.wallClockMs() <= 0 ? 0 : newest.wallClockMs() + Math.round(newest.durationSec() * 1000);
        if (from > 0 && nextWallClockMs > from) each = (nextWallClockMs - from) / 1000.0 / missing;
        each = Math.min(Math.max(each, 0.001), targetDurationSec());
        long first = Math.max(nextSequence, sequence - windowSize);
        long delta = 0;
        for (long n = first; n < sequence; n++) {
            long wallClock = from <= 0 ? 0 : from + Math.round((n - nextSequence) * each * 1000);
            delta += list(StoredSegment.gap(n, each, wallClock));
        }
        nextSequence = sequence;
        return delta;
    }

    /**
     * Appends a PART record to the open segment; returns the change in stored bytes. Part 0 of a new source
     * sequence opens a segment (numbered as its SEGMENT will be); a part out of order, replayed or of a segment
     * that was not opened is dropped, as the parts listed must be contiguous.
     */
    long appendPart(MediaRecord r) {
        if (needsInit()) return 0;
        boolean started = nextSequence >= 0;
        boolean sameSession = started && Objects.equals(sessionId, r.sessionId());
        long sequence = sequenceOf(r);
        if (started && sequence < nextSequence) { // a part of a listed segment: a replay
            if (r.discontinuity() && sameSession && r.partIndex() == 0) discontinuityInReplay = true;
            return 0;
        }
        long delta = 0;
        if (r.partIndex() == 0) {
            delta -= bytesOf(openParts); // a segment that never completed (lost in a failover)
            openParts.clear();
            boolean gap = started && sequence > nextSequence;
            openDiscontinuity = started && (!sameSession || ended || gap || r.discontinuity() || discontinuityInReplay);
            // the gap is listed now: the open segment's parts are numbered as its segment will be
            if (gap) delta += listGap(sequence, r.wallClockMs(), sameSession);
            openMsn = sequence;
            openSourceSequence = r.sequence();
            openSessionId = r.sessionId();
            openInitId = currentInitId();
            ended = false; // a new session's media: live again (its first part carries the discontinuity)
        } else if (r.sequence() != openSourceSequence || !Objects.equals(openSessionId, r.sessionId())
                || r.partIndex() != openParts.size()) {
            return 0;
        }
        StoredPart part = StoredPart.of(openMsn, r.partIndex(), r.durationSec(), r.independent() || r.partIndex() == 0, r.payload());
        openParts.add(part);
        // PART-TARGET must bound every part; it only grows, as players read it once
        partTargetSec = Math.max(partTargetSec, Math.ceil(r.durationSec() * 1000) / 1000);
        if (r.codecs() != null) codecs = r.codecs();
        delta += part.bytes().length;
        bytes += delta;
        return delta;
    }

    /** Drops parts of segments ending more than PART_KEPT_TARGET_DURATIONS before the end; returns the bytes freed. */
    /** Forgets removed segments once the playlist's duration plus their own has passed; returns the bytes freed. */
    private long pruneRemoved() {
        double listed = 0;
        for (StoredSegment s : segments) listed += s.durationSec();
        double since = 0; // how long ago (in media time) each removed segment left the playlist, newest first
        long freed = 0;
        Iterator<StoredSegment> newestFirst = removed.descendingIterator();
        boolean expired = false;
        while (newestFirst.hasNext()) {
            StoredSegment s = newestFirst.next();
            expired |= since > listed + s.durationSec() + 1e-9;
            if (expired) {
                freed += s.bytes().length;
                newestFirst.remove();
            } else {
                since += s.durationSec();
            }
        }
        return freed;
    }

    private long pruneParts() {
        if (parts.isEmpty()) return 0;
        double keep = PART_KEPT_TARGET_DURATIONS * targetDurationSec();
        double fromEnd = openDurationSec();
        long freed = 0;
        Iterator<StoredSegment> newestFirst = segments.descendingIterator();
        while (newestFirst.hasNext()) {
            StoredSegment s = newestFirst.next();
            if (fromEnd > keep) {
                List<StoredPart> dropped = parts.remove(s.sequence());
                if (dropped != null) freed += bytesOf(dropped);
            }
            fromEnd += s.durationSec();
        }
        return freed;
    }

    private double openDurationSec() {
        double d = 0;
        for (StoredPart p : openParts) d += p.durationSec();
        return d;
    }

    private int targetDurationSec() {
        long max = 1;
        for (StoredSegment s : segments) max = Math.max(max, Math.round(s.durationSec()));
        return (int) max;
    }

    private static long bytesOf(List<StoredPart> list) {
        long n = 0;
        for (StoredPart p : list) n += p.bytes().length;
        return n;
    }

    /** Part {@code index} of segment {@code msn}, whole or open, or null. */
    StoredPart part(long msn, int index) {
        List<StoredPart> list = msn == openMsn && !openParts.isEmpty() ? openParts : parts.get(msn);
        return list == null || index < 0 || index >= list.size() ? null : list.get(index);
    }

    LiveEdge liveEdge() {
        long open = nextSequence >= 0 ? nextSequence : (openParts.isEmpty() ? 0 : openMsn);
        int listed = !openParts.isEmpty() && openMsn == open ? openParts.size() : 0;
        return new LiveEdge(open - 1, open, listed, ended, targetDurationSec());
    }

    /** This rung's live edge as another rung's playlist reports it. */
    RenditionReport report() {
        LiveEdge edge = liveEdge();
        if (edge.openParts() > 0) return new RenditionReport("../" + rendition + "/index.m3u8", edge.openMsn(), edge.openParts() - 1);
        // relative, so it resolves in either tree (/live/{id}/{r}/ and /live/{id}/ts/{r}/)
        List<StoredPart> last = parts.get(edge.lastMsn());
        return new RenditionReport("../" + rendition + "/index.m3u8", edge.lastMsn(), last == null ? -1 : last.size() - 1);
    }

    boolean hasParts() {
        return partTargetSec > 0;
    }

    /** END of a session: the playlist gets EXT-X-ENDLIST. An END of an older session than the current one is stale. */
    void end(String endedSessionId) {
        if (endedSessionId == null || sessionId == null || endedSessionId.equals(sessionId)) ended = true;
    }

    /** A segment of the window, or one removed from it recently enough to be still downloadable; else null. */
    StoredSegment segment(long sequence) {
        if (sequence >= nextSequence) return null;
        for (StoredSegment s : segments) if (s.sequence() == sequence) return s.gap() ? null : s;
        for (StoredSegment s : removed) if (s.sequence() == sequence) return s;
        return null;
    }

    /** @param reports the other rungs' live edges (LL-HLS only) */
    MediaPlaylist playlist(List<RenditionReport> reports) {
        LiveEdge edge = liveEdge();
        List<MediaPart> open = edge.openParts() > 0 ? mediaParts(openParts) : List.of();
        double listedUntil = PART_LISTED_TARGET_DURATIONS * edge.targetDurationSec();
        double fromEnd = openDurationSec();
        MediaSegment[] lines = new MediaSegment[segments.size()];
        int i = segments.size();
        Iterator<StoredSegment> newestFirst = segments.descendingIterator();
        while (newestFirst.hasNext()) {
            StoredSegment s = newestFirst.next();
            // Apple's rule, counted from the segment's start: no listed part lies more than 3 target durations from the end
            List<StoredPart> own = fromEnd + s.durationSec() <= listedUntil + 1e-9 ? parts.get(s.sequence()) : null;
            lines[--i] = new MediaSegment(s.sequence(), s.durationSec(), s.wallClockMs(), s.discontinuity(), s.uri(extension),
                    own == null ? List.of() : mediaParts(own), s.gap() ? null : mapUriOf(s.initId()), s.gap());
            fromEnd += s.durationSec();
        }
        long first = segments.isEmpty() ? Math.max(edge.openMsn(), 0) : segments.peekFirst().sequence();
        LowLatency ll = !hasParts() ? null : new LowLatency(partTargetSec, open, openDiscontinuity && !open.isEmpty(),
                ended ? null : StoredPart.uriOf(edge.openMsn(), edge.openParts(), extension), reports,
                open.isEmpty() ? null : mapUriOf(openInitId));
        return new MediaPlaylist(first, discontinuitySequence, List.of(lines), ended, ll);
    }

    private List<MediaPart> mediaParts(List<StoredPart> list) {
        List<MediaPart> out = new ArrayList<>(list.size());
        for (StoredPart p : list) out.add(new MediaPart(p.durationSec(), p.uri(extension), p.independent()));
        return out;
    }

    private static String mapUriOf(String initId) {
        return initId == null ? null : StoredInit.uriOf(initId);
    }

    RenditionInfo info() {
        double seconds = 0;
        long bits = 0;
        long peak = 0;
        for (StoredSegment s : segments) {
            if (s.gap()) continue;
            long segmentBits = 8L * s.bytes().length;
            bits += segmentBits;
            seconds += s.durationSec();
            if (s.durationSec() > 0) peak = Math.max(peak, Math.round(segmentBits / s.durationSec()));
        }
        long average = seconds > 0 ? Math.round(bits / seconds) : 0;
        // BANDWIDTH must not be below any segment's measured bitrate (RFC 8216 4.3.4.2), whatever was declared.
        return new RenditionInfo(rendition, Math.max(declaredBandwidth, peak), average, width, height, frameRate, codecs, ended, skippedSegments);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    boolean hasNothing() {
        return segments.isEmpty() && openParts.isEmpty();
    }

    boolean ended() {
        return ended;
    }

    long bytes() {
        return bytes;
    }
}
