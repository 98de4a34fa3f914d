package io.livestream.origin.store;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.RenditionReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The renditions of one stream; one lock per stream, so readers of one stream never wait for another. */
final class StreamState {
    private final String streamId;
    private final StoreConfig config;
    private final Map<String, RenditionWindow> renditions = new LinkedHashMap<>();
    private long bytes;
    private volatile long lastUpdateTick;
    private volatile long lastUpdateMs;

    StreamState(String streamId, StoreConfig config) {
        this.streamId = streamId;
        this.config = config;
    }

    /** Returns the change in stored bytes. */
    synchronized long apply(MediaRecord r, long tick, long nowMs) {
        lastUpdateTick = tick;
        lastUpdateMs = nowMs;
        switch (r.type()) {
            case SEGMENT, PART -> {
                RenditionWindow window = renditions.get(r.rendition());
                if (window == null) {
                    if (renditions.size() >= config.maxRenditionsPerStream()) return 0;
                    window = new RenditionWindow(r.rendition(), config.windowSize());
                    renditions.put(r.rendition(), window);
                }
                long delta = r.type() == MediaRecord.Type.SEGMENT ? window.append(r) : window.appendPart(r);
                bytes += delta;
                return delta;
            }
            case END -> {
                RenditionWindow window = renditions.get(r.rendition());
                // An END naming no known rendition ends the whole session output.
                if (window != null) window.end(r.sessionId());
                else renditions.values().forEach(w -> w.end(r.sessionId()));
                return 0;
            }
            default -> {
                return 0; // INIT: MPEG-TS parts need no initialisation section
            }
        }
    }

    synchronized List<RenditionInfo> renditionInfos() {
        List<RenditionInfo> infos = new ArrayList<>(renditions.size());
        for (RenditionWindow w : renditions.values()) if (!w.isEmpty()) infos.add(w.info());
        return infos;
    }

    synchronized MediaPlaylist playlist(String rendition) {
        RenditionWindow w = renditions.get(rendition);
        if (w == null) return null;
        List<RenditionReport> reports = new ArrayList<>();
        if (w.hasParts()) {
            for (Map.Entry<String, RenditionWindow> other : renditions.entrySet()) {
                if (other.getValue() != w && other.getValue().hasParts()) reports.add(other.getValue().report());
            }
        }
        return w.playlist(reports);
    }

    synchronized LiveEdge liveEdge(String rendition) {
        RenditionWindow w = renditions.get(rendition);
        return w == null ? null : w.liveEdge();
    }

    synchronized StoredPart part(String rendition, long msn, int index) {
        RenditionWindow w = renditions.get(rendition);
        return w == null ? null : w.part(msn, index);
    }

    synchronized List<String> renditionNames() {
        return List.copyOf(renditions.keySet());
    }

    synchronized StoredSegment segment(String rendition, long sequence) {
        RenditionWindow w = renditions.get(rendition);
        return w == null ? null : w.segment(sequence);
    }

    synchronized boolean hasRendition(String rendition) {
        return renditions.containsKey(rendition);
    }

    synchronized boolean allEnded() {
        return !renditions.isEmpty() && renditions.values().stream().allMatch(RenditionWindow::ended);
    }

    synchronized long bytes() {
        return bytes;
    }

    long lastUpdateTick() {
        return lastUpdateTick;
    }

    long lastUpdateMs() {
        return lastUpdateMs;
    }

    String streamId() {
        return streamId;
    }
}
