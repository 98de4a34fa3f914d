package io.livestream.origin.store;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.RenditionReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The renditions of one stream, one window per rendition and container (fMP4 and MPEG-TS); one lock per stream, so
 * readers of one stream never wait for another.
 */
final class StreamState {
    private final String streamId;
    private final StoreConfig config;
    private final Map<MediaRecord.Container, Map<String, RenditionWindow>> windows = new java.util.EnumMap<>(MediaRecord.Container.class);
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
            case SEGMENT, PART, INIT -> {
                Map<String, RenditionWindow> renditions = renditions(r.container());
                RenditionWindow window = renditions.get(r.rendition());
                if (window == null) {
                    if (renditions.size() >= config.maxRenditionsPerStream()) return 0;
                    window = new RenditionWindow(r.rendition(), config.windowSize(), r.container());
                    renditions.put(r.rendition(), window);
                }
                long delta = switch (r.type()) {
                    case SEGMENT -> window.append(r);
                    case PART -> window.appendPart(r);
                    default -> window.appendInit(r);
                };
                bytes += delta;
                return delta;
            }
            case END -> {
                // an END names no container: it ends the rendition in both; one naming no known rendition ends them all
                boolean known = windows.values().stream().anyMatch(m -> m.containsKey(r.rendition()));
                for (Map<String, RenditionWindow> renditions : windows.values()) {
                    RenditionWindow window = renditions.get(r.rendition());
                    if (window != null) window.end(r.sessionId());
                    else if (!known) renditions.values().forEach(w -> w.end(r.sessionId()));
                }
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

    private Map<String, RenditionWindow> renditions(MediaRecord.Container container) {
        return windows.computeIfAbsent(container, c -> new LinkedHashMap<>());
    }

    private RenditionWindow window(MediaRecord.Container container, String rendition) {
        Map<String, RenditionWindow> renditions = windows.get(container);
        return renditions == null ? null : renditions.get(rendition);
    }

    synchronized StoredInit init(String rendition, String id) {
        RenditionWindow w = window(MediaRecord.Container.FMP4, rendition);
        return w == null ? null : w.init(id);
    }

    synchronized List<RenditionInfo> renditionInfos(MediaRecord.Container container) {
        Map<String, RenditionWindow> renditions = renditions(container);
        List<RenditionInfo> infos = new ArrayList<>(renditions.size());
        for (RenditionWindow w : renditions.values()) if (!w.isEmpty()) infos.add(w.info());
        return infos;
    }

    synchronized MediaPlaylist playlist(MediaRecord.Container container, String rendition) {
        RenditionWindow w = window(container, rendition);
        if (w == null) return null;
        List<RenditionReport> reports = new ArrayList<>();
        if (w.hasParts()) {
            for (RenditionWindow other : renditions(container).values()) {
                if (other != w && other.hasParts()) reports.add(other.report());
            }
        }
        return w.playlist(reports);
    }

    synchronized LiveEdge liveEdge(MediaRecord.Container container, String rendition) {
        RenditionWindow w = window(container, rendition);
        return w == null ? null : w.liveEdge();
    }

    synchronized StoredPart part(MediaRecord.Container container, String rendition, long msn, int index) {
        RenditionWindow w = window(container, rendition);
        return w == null ? null : w.part(msn, index);
    }

    /** Every rendition of either container. */
    synchronized List<String> renditionNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        windows.values().forEach(m -> names.addAll(m.keySet()));
        return List.copyOf(names);
    }

    synchronized StoredSegment segment(MediaRecord.Container container, String rendition, long sequence) {
        RenditionWindow w = window(container, rendition);
        return w == null ? null : w.segment(sequence);
    }

    synchronized boolean hasRendition(String rendition) {
        return windows.values().stream().anyMatch(m -> m.containsKey(rendition));
    }

    synchronized boolean allEnded() {
        List<RenditionWindow> all = windows.values().stream().flatMap(m -> m.values().stream()).toList();
        return !all.isEmpty() && all.stream().allMatch(RenditionWindow::ended);
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
