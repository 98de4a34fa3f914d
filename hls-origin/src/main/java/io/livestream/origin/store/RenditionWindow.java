package io.livestream.origin.store;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sliding window of one rendition of one stream. Not thread-safe: its {@link StreamState} guards it.
 *
 * <p>Numbering: HLS media sequence numbers of consecutive segments must be consecutive, so the origin numbers
 * segments itself: the first segment keeps the transcoder's sequence, every later one is the previous + 1. A
 * replayed segment of the same session (sequence not advancing) is dropped. A new session, a segment after END,
 * a transcoder discontinuity or a gap in the transcoder's numbering (a lost GOP) gets EXT-X-DISCONTINUITY.
 *
 * <p>LL-HLS will add the open segment's parts here (PART records), completed by the SEGMENT record.
 */
final class RenditionWindow {
    private final String rendition;
    private final int windowSize;
    private final ArrayDeque<StoredSegment> segments = new ArrayDeque<>();
    private long nextSequence = -1;
    private long lastSourceSequence = -1;
    private String sessionId;
    private boolean ended;
    private long discontinuitySequence;
    private long bytes;

    private String codecs;
    private int width;
    private int height;
    private double frameRate;
    private long declaredBandwidth;

    RenditionWindow(String rendition, int windowSize) {
        this.rendition = rendition;
        this.windowSize = windowSize;
    }

    /** Appends a SEGMENT record; returns the change in stored bytes (0 for a dropped replay). */
    long append(MediaRecord r) {
        boolean started = nextSequence >= 0;
        boolean sameSession = started && Objects.equals(sessionId, r.sessionId());
        if (sameSession && r.sequence() <= lastSourceSequence) return 0;
        boolean gap = sameSession && r.sequence() > lastSourceSequence + 1;
        boolean discontinuity = started && (!sameSession || ended || gap || r.discontinuity());

        long sequence = started ? nextSequence : r.sequence();
        StoredSegment segment = StoredSegment.of(sequence, r.durationSec(), r.wallClockMs(), discontinuity, r.payload());
        segments.addLast(segment);
        long delta = segment.bytes().length;
        while (segments.size() > windowSize) {
            StoredSegment dropped = segments.removeFirst();
            if (dropped.discontinuity()) discontinuitySequence++;
            delta -= dropped.bytes().length;
        }
        bytes += delta;
        nextSequence = sequence + 1;
        lastSourceSequence = r.sequence();
        sessionId = r.sessionId();
        ended = false;
        if (r.codecs() != null) codecs = r.codecs();
        if (r.width() > 0) width = r.width();
        if (r.height() > 0) height = r.height();
        if (r.frameRate() > 0) frameRate = r.frameRate();
        if (r.bandwidth() > 0) declaredBandwidth = r.bandwidth();
        return delta;
    }

    /** END of a session: the playlist gets EXT-X-ENDLIST. An END of an older session than the current one is stale. */
    void end(String endedSessionId) {
        if (endedSessionId == null || sessionId == null || endedSessionId.equals(sessionId)) ended = true;
    }

    StoredSegment segment(long sequence) {
        StoredSegment first = segments.peekFirst();
        if (first == null || sequence < first.sequence() || sequence >= nextSequence) return null;
        for (StoredSegment s : segments) if (s.sequence() == sequence) return s;
        return null;
    }

    MediaPlaylist playlist() {
        List<MediaSegment> lines = new ArrayList<>(segments.size());
        for (StoredSegment s : segments) {
            lines.add(new MediaSegment(s.sequence(), s.durationSec(), s.wallClockMs(), s.discontinuity(), s.uri()));
        }
        long first = segments.isEmpty() ? Math.max(nextSequence, 0) : segments.peekFirst().sequence();
        return new MediaPlaylist(first, discontinuitySequence, lines, ended);
    }

    RenditionInfo info() {
        double seconds = 0;
        long bits = 0;
        long peak = 0;
        for (StoredSegment s : segments) {
            long segmentBits = 8L * s.bytes().length;
            bits += segmentBits;
            seconds += s.durationSec();
            if (s.durationSec() > 0) peak = Math.max(peak, Math.round(segmentBits / s.durationSec()));
        }
        long average = seconds > 0 ? Math.round(bits / seconds) : 0;
        // BANDWIDTH must not be below any segment's measured bitrate (RFC 8216 4.3.4.2), whatever was declared.
        return new RenditionInfo(rendition, Math.max(declaredBandwidth, peak), average, width, height, frameRate, codecs, ended);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    boolean ended() {
        return ended;
    }

    long bytes() {
        return bytes;
    }
}
