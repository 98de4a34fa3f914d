package io.livestream.origin.store;

import io.livestream.common.media.MediaRecord;
import io.livestream.common.time.Clock;
import io.livestream.origin.ingest.MediaRecordListener;
import io.livestream.origin.playlist.MasterPlaylist;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.Variant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live windows of all streams, fed from {@code live.media} and read by the HTTP handlers.
 *
 * <p>One writer (the consumer thread) and many readers (the event loops). Writes and evictions hold the store's
 * lock, so the byte total stays exact; readers take only the lock of the stream they read.
 */
public final class SegmentStore implements MediaRecordListener {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);

    private final StoreConfig config;
    private final Clock clock;
    private final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final List<UpdateListener> listeners = new CopyOnWriteArrayList<>();
    /** True while the origin replays its look-back from Kafka: the windows are the past, not the live edge. */
    private volatile boolean warmingUp;

    public SegmentStore(StoreConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public SegmentStore(StoreConfig config) {
        this(config, Clock.SYSTEM);
    }

    /** The windows are being rebuilt from Kafka's look-back; {@link #warmedUp()} when it reached the live edge. */
    public void startWarmingUp() {
        warmingUp = true;
    }

    public void warmedUp() {
        warmingUp = false;
    }

    /** Whether the live windows are still being rebuilt (live HLS is then answered 503, so a cache asks another origin). */
    public boolean warmingUp() {
        return warmingUp;
    }

    public SegmentStore() {
        this(StoreConfig.DEFAULTS);
    }

    @Override
    public synchronized void onMediaRecord(MediaRecord r) {
        // An END may name no rendition ("*" or empty: the whole session); only stored names must be servable.
        boolean segment = r.type() != MediaRecord.Type.END;
        if (!Names.isStreamId(r.streamId()) || (segment && !Names.isRendition(r.rendition()))) {
            LOG.warn("dropping media record with unservable name: {}", r);
            return;
        }
        if (segment && r.payload().length > config.maxSegmentBytes()) {
            LOG.warn("dropping segment over {} bytes: {}", config.maxSegmentBytes(), r);
            return;
        }
        StreamState stream = streams.get(r.streamId());
        if (stream == null) {
            if (!segment) return; // nothing to end or extend yet
            stream = streams.computeIfAbsent(r.streamId(), id -> {
                LOG.info("stream {} appeared", id);
                return new StreamState(id, config);
            });
        }
        long delta = stream.apply(r, ticks.incrementAndGet(), clock.millis());
        if (r.type() == MediaRecord.Type.END) LOG.info("stream {} rendition {} ended (session {})", r.streamId(), r.rendition(), r.sessionId());
        if (totalBytes.addAndGet(delta) > config.maxTotalBytes()) evictFor(stream);
        if (r.type() != MediaRecord.Type.INIT) {
            for (UpdateListener l : listeners) l.onUpdate(r.streamId(), r.type() == MediaRecord.Type.END ? null : r.rendition());
        }
    }

    /**
     * Told after every part, segment or end is stored, on the writer's thread, so a blocked playlist request can be
     * answered the moment its part lands. Must be quick: hand work to other threads.
     */
    @FunctionalInterface
    public interface UpdateListener {
        /** @param rendition the rendition that changed, or null for all of the stream's */
        void onUpdate(String streamId, String rendition);
    }

    public void addUpdateListener(UpdateListener listener) {
        listeners.add(listener);
    }

    public void removeUpdateListener(UpdateListener listener) {
        listeners.remove(listener);
    }

    /** Drops whole streams, ended first, then least recently updated, never the one being written. */
    private void evictFor(StreamState keep) {
        List<StreamState> candidates = streams.values().stream()
                .filter(s -> s != keep)
                .sorted(Comparator.comparing((StreamState s) -> !s.allEnded()).thenComparingLong(StreamState::lastUpdateTick))
                .toList();
        for (StreamState victim : candidates) {
            if (totalBytes.get() <= config.maxTotalBytes()) return;
            if (streams.remove(victim.streamId(), victim)) {
                totalBytes.addAndGet(-victim.bytes());
                LOG.info("stream {} evicted to stay within {} bytes", victim.streamId(), config.maxTotalBytes());
            }
        }
    }

    /** Drops streams that received nothing for {@link StoreConfig#idleExpiryMs()}; returns how many. Call periodically. */
    public synchronized int expireIdle() {
        long cutoff = clock.millis() - config.idleExpiryMs();
        int expired = 0;
        for (StreamState s : streams.values()) {
            if (s.lastUpdateMs() < cutoff && streams.remove(s.streamId(), s)) {
                totalBytes.addAndGet(-s.bytes());
                expired++;
                LOG.info("stream {} expired after {} ms without media", s.streamId(), config.idleExpiryMs());
            }
        }
        return expired;
    }

    /**
     * The master playlist of a stream's MPEG-TS output (as records without a container header are), each rendition's
     * URI made by {@code renditionUri}; empty if the stream is unknown.
     */
    public Optional<MasterPlaylist> masterPlaylist(String streamId, Function<String, String> renditionUri) {
        return masterPlaylist(streamId, MediaRecord.Container.TS, renditionUri);
    }

    /** The master playlist of one container's output; empty if the stream is unknown or has none. */
    public Optional<MasterPlaylist> masterPlaylist(String streamId, MediaRecord.Container container, Function<String, String> renditionUri) {
        StreamState stream = streams.get(streamId);
        if (stream == null) return Optional.empty();
        List<RenditionInfo> infos = stream.renditionInfos(container);
        if (infos.isEmpty()) return Optional.empty();
        return Optional.of(new MasterPlaylist(infos.stream()
                .map(i -> new Variant(renditionUri.apply(i.rendition()), i.bandwidth(), i.averageBandwidth(),
                        i.width(), i.height(), i.frameRate(), i.codecs()))
                .toList()));
    }

    // The methods without a container read the MPEG-TS windows, as records without a container header are.

    public Optional<MediaPlaylist> mediaPlaylist(String streamId, String rendition) {
        return mediaPlaylist(streamId, MediaRecord.Container.TS, rendition);
    }

    /**
     * A number that changes whenever anything of the stream's windows may have (every record stored for it), so a
     * reader can tell that what it rendered from them is still current without building the model again; -1 for
     * a stream not held. The number is taken before a change is made, under the stream's lock, so whatever is read
     * after it is at least that recent.
     */
    public long version(String streamId) {
        StreamState stream = streams.get(streamId);
        return stream == null ? -1 : stream.lastUpdateTick();
    }

    public Optional<MediaPlaylist> mediaPlaylist(String streamId, MediaRecord.Container container, String rendition) {
        StreamState stream = streams.get(streamId);
        return Optional.ofNullable(stream == null ? null : stream.playlist(container, rendition));
    }

    public Optional<StoredSegment> segment(String streamId, String rendition, long sequence) {
        return segment(streamId, MediaRecord.Container.TS, rendition, sequence);
    }

    public Optional<StoredSegment> segment(String streamId, MediaRecord.Container container, String rendition, long sequence) {
        StreamState stream = streams.get(streamId);
        return Optional.ofNullable(stream == null ? null : stream.segment(container, rendition, sequence));
    }

    /** An fMP4 init segment of the rendition while a segment in its window (or the newest INIT) refers to it. */
    public Optional<StoredInit> init(String streamId, String rendition, String id) {
        StreamState stream = streams.get(streamId);
        return Optional.ofNullable(stream == null ? null : stream.init(rendition, id));
    }

    public Optional<LiveEdge> liveEdge(String streamId, String rendition) {
        return liveEdge(streamId, MediaRecord.Container.TS, rendition);
    }

    /** Where the rendition's playlist ends now, or empty if the stream or rendition is unknown. */
    public Optional<LiveEdge> liveEdge(String streamId, MediaRecord.Container container, String rendition) {
        StreamState stream = streams.get(streamId);
        return Optional.ofNullable(stream == null ? null : stream.liveEdge(container, rendition));
    }

    public Optional<StoredPart> part(String streamId, String rendition, long msn, int index) {
        return part(streamId, MediaRecord.Container.TS, rendition, msn, index);
    }

    /** An LL-HLS part, whole segment's or open one's, while it is kept. */
    public Optional<StoredPart> part(String streamId, MediaRecord.Container container, String rendition, long msn, int index) {
        StreamState stream = streams.get(streamId);
        return Optional.ofNullable(stream == null ? null : stream.part(container, rendition, msn, index));
    }

    /** Every rendition the stream has, including those that have only parts so far. */
    public List<String> renditionNames(String streamId) {
        StreamState stream = streams.get(streamId);
        return stream == null ? List.of() : stream.renditionNames();
    }

    /** The renditions of the default (fMP4) output, or of MPEG-TS for a stream that has only that (an older transcoder). */
    public List<RenditionInfo> renditions(String streamId) {
        StreamState stream = streams.get(streamId);
        if (stream == null) return List.of();
        List<RenditionInfo> fmp4 = stream.renditionInfos(MediaRecord.Container.FMP4);
        return fmp4.isEmpty() ? stream.renditionInfos(MediaRecord.Container.TS) : fmp4;
    }

    public boolean hasStream(String streamId) {
        return streams.containsKey(streamId);
    }

    public boolean hasRendition(String streamId, String rendition) {
        StreamState stream = streams.get(streamId);
        return stream != null && stream.hasRendition(rendition);
    }

    public Set<String> streamIds() {
        return Set.copyOf(streams.keySet());
    }

    /** Bytes of segment payload held across all windows. */
    public long totalBytes() {
        return totalBytes.get();
    }

    public StoreConfig config() {
        return config;
    }
}
