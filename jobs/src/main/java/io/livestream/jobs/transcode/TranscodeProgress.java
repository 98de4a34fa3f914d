package io.livestream.jobs.transcode;

import java.util.List;

/**
 * What the transcode operator keeps in keyed state about a stream's open session, so that a restored operator can
 * finish it and number what follows: the GOP started last (its media sequence number and source keyframe dts), the
 * last segment emitted, when media last arrived and the renditions being produced. A Flink POJO (public fields, a
 * no-argument constructor) so its serializer can evolve.
 */
public class TranscodeProgress {
    public String sessionId;
    /** Sequence number of the GOP started last; -1 before the first. */
    public long gopSequence = -1;
    /** Source dts (ms) of that GOP's keyframe. */
    public long gopDtsMs = Long.MIN_VALUE;
    /** Sequence number of the last segment emitted; -1 before the first. */
    public long lastSequence = -1;
    /** Processing time of the last media, as of the last GOP start. */
    public long lastPacketMs;
    /** The renditions the session has emitted segments of, comma-separated (they are known once frames decode). */
    public String renditionList = "";
    /** GOPs skipped to catch up with live after a restore (logged once). */
    public int skippedGops;

    public TranscodeProgress() {}

    TranscodeProgress(String sessionId) {
        this.sessionId = sessionId;
    }

    List<String> renditions() {
        return renditionList.isEmpty() ? List.of() : List.of(renditionList.split(","));
    }

    boolean hasRendition(String rendition) {
        return renditions().contains(rendition);
    }

    void addRendition(String rendition) {
        if (!hasRendition(rendition)) renditionList = renditionList.isEmpty() ? rendition : renditionList + "," + rendition;
    }

    /**
     * The sequence number of a GOP that starts at {@code keyframeDtsMs} in a session restarted from this state: the
     * GOP started last if it is that keyframe again (a replay from its start), else the next one, because the GOP in
     * flight at the checkpoint cannot be rebuilt from the middle and its number may already be out with its content.
     */
    long sequenceForRestartAt(long keyframeDtsMs) {
        if (gopSequence < 0) return lastSequence + 1;
        return keyframeDtsMs <= gopDtsMs ? gopSequence : gopSequence + 1;
    }
}
