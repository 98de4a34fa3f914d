package io.livestream.origin.http;

import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.dash.DashPeriods;
import io.livestream.origin.dash.DashTimeline;
import io.livestream.origin.dash.Fmp4Tracks;
import io.livestream.origin.dash.MpdBuilder;
import io.livestream.origin.dash.MpdWriter;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.store.RenditionInfo;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoredInit;
import io.livestream.origin.store.StoredSegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live LL-DASH routes (the MPD, one track's init and whole segments, {@code /time}) from the fMP4 windows: the
 * transcoder's muxed CMAF split per track by {@link Fmp4Tracks}, decode times placed by {@link DashPeriods}. Memory
 * only, on the event loop. The segment being written is {@link GrowingSegmentHandler}'s.
 */
public final class DashResources {
    static final String MPD_TYPE = "application/dash+xml";
    /** The MPD changes once a segment (its publishTime); its SegmentTemplate names every later segment already. */
    static final String MPD_CACHE = "public, max-age=1";
    private static final int MAX_CACHED = 1024;
    /** The bytes of split segments kept (about a minute of a 6 Mb/s ladder): the live edge is what is asked again. */
    static final long MAX_SPLIT_BYTES = 64L << 20;

    private final SegmentStore store;
    /** Each stream's Periods: its availability start time stays for as long as this origin serves it. */
    private final Map<String, DashPeriods> periods = new ConcurrentHashMap<>();
    /** Tracks of recent init segments by their id: every MPD and segment needs them, an init changes once a session. */
    private final Map<String, List<Fmp4Tracks.Track>> tracks = new ConcurrentHashMap<>();
    /** Recent split segments, least recently asked first: players and caches ask for the same few at the live edge. */
    private final LinkedHashMap<Object, byte[]> splitSegments = new LinkedHashMap<>(64, 0.75f, true);
    private long splitBytes;

    public DashResources(SegmentStore store) {
        this.store = store;
    }

    public RouteTable routes() {
        return RouteTable.builder()
                .onEventLoop(Route.DashManifest.class, (r, request) -> manifest(r))
                .onEventLoop(Route.DashInit.class, (r, request) -> init(r))
                .onEventLoop(Route.DashSegment.class, (r, request) -> segment(r))
                .onEventLoop(Route.Time.class, (r, request) -> time())
                .build();
    }

    SegmentStore store() {
        return store;
    }

    private Resource manifest(Route.DashManifest m) {
        List<MpdBuilder.Rendition> renditions = new ArrayList<>();
        for (RenditionInfo info : store.renditions(m.streamId())) {
            MediaPlaylist playlist = store.mediaPlaylist(m.streamId(), Container.FMP4, info.rendition()).orElse(null);
            String initId = playlist == null ? null : newestInitId(playlist);
            if (initId != null && tracks(m.streamId(), info.rendition(), initId) != null) {
                renditions.add(new MpdBuilder.Rendition(info, playlist, id -> tracks(m.streamId(), info.rendition(), id)));
            }
        }
        if (renditions.isEmpty()) return OriginResources.error(404, store.hasStream(m.streamId()) ? "no fMP4 segment yet" : "unknown stream");
        MediaPlaylist first = renditions.get(0).playlist();
        DashPeriods current = periods(m.streamId(), first).orElse(null);
        if (current == null) return OriginResources.error(404, "no segment with a wall clock yet");
        long publish = first.segments().isEmpty() ? current.availabilityStartTimeMs()
                : first.segments().get(first.segments().size() - 1).programDateTimeMs();
        byte[] body = MpdWriter.write(MpdBuilder.build(renditions, current, publish, "/time")).getBytes(StandardCharsets.UTF_8);
        return new Resource(200, body, MPD_TYPE, MPD_CACHE, StoredSegment.etagOf(body), false);
    }

    private Resource init(Route.DashInit i) {
        List<Fmp4Tracks.Track> own = tracks(i.streamId(), i.rendition(), i.id());
        if (own == null) return OriginResources.error(404, store.hasStream(i.streamId()) ? "init segment not in window" : "unknown stream");
        Fmp4Tracks.Track track = track(own, i.track());
        if (track == null) return OriginResources.error(404, "the rendition has no " + i.track().pathName);
        return new Resource(200, track.init(), Resource.MP4_TYPE, OriginResources.SEGMENT_CACHE, StoredSegment.etagOf(track.init()), true);
    }

    /** A whole segment; the one being written is answered by {@link GrowingSegmentHandler} before this is asked. */
    private Resource segment(Route.DashSegment s) {
        Optional<StoredSegment> found = store.segment(s.streamId(), Container.FMP4, s.rendition(), s.number());
        if (found.isEmpty()) {
            if (!store.hasStream(s.streamId())) return OriginResources.error(404, "unknown stream");
            return OriginResources.error(404, "segment not in window"); // gaps (numbers without media) too
        }
        StoredSegment segment = found.get();
        Splitter splitter = splitter(s.streamId(), s.rendition(), segment.initId(), s.track(), s.number()).orElse(null);
        if (splitter == null) return OriginResources.error(404, "init segment not in window");
        List<Object> key = List.of(s, segment.etag(), splitter.timeline());
        // the Period of a segment is fixed once it is listed: the same split for as long as it is asked
        byte[] body = cachedSplit(key);
        if (body == null) {
            body = splitter.split(segment.bytes(), s.number(), segment.bytes());
            keepSplit(key, body);
        }
        return new Resource(200, body, Resource.MP4_TYPE, OriginResources.SEGMENT_CACHE, StoredSegment.etagOf(body), true);
    }

    private synchronized byte[] cachedSplit(Object key) {
        return splitSegments.get(key);
    }

    /** Keeps a split segment, dropping the least recently asked beyond {@link #MAX_SPLIT_BYTES}. */
    private synchronized void keepSplit(Object key, byte[] body) {
        byte[] replaced = splitSegments.put(key, body);
        splitBytes += body.length - (replaced == null ? 0 : replaced.length);
        for (var eldest = splitSegments.entrySet().iterator(); splitBytes > MAX_SPLIT_BYTES && eldest.hasNext(); ) {
            splitBytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    private static Resource time() {
        byte[] body = Instant.now().toString().getBytes(StandardCharsets.US_ASCII);
        return new Resource(200, body, "text/plain; charset=utf-8", Resource.NO_STORE, null, false);
    }

    /**
     * How to cut one track out of a rendition's segment {@code number}: the tracks of the init its fragments decode
     * after and the timeline of its Period; empty if the init is gone or the stream has no timeline yet.
     */
    Optional<Splitter> splitter(String streamId, String rendition, String initId, Route.Track kind, long number) {
        if (initId == null) return Optional.empty();
        List<Fmp4Tracks.Track> own = tracks(streamId, rendition, initId);
        if (own == null) return Optional.empty();
        Fmp4Tracks.Track track = track(own, kind);
        Fmp4Tracks.Track video = track(own, Route.Track.VIDEO);
        if (track == null) return Optional.empty();
        Optional<DashPeriods> current = store.mediaPlaylist(streamId, Container.FMP4, rendition).flatMap(p -> periods(streamId, p));
        return current.map(p -> new Splitter(track, video, p.periodOf(number).timeline()));
    }

    /** One track of a rendition on the stream's timeline. */
    record Splitter(Fmp4Tracks.Track track, Fmp4Tracks.Track video, DashTimeline timeline) {
        /**
         * The track's samples of {@code muxed} (a segment or some of its parts), decode times moved so that segment
         * {@code number} starts at its place; {@code segmentStart} is muxed media that begins with its first part
         * (where its video's first decode time is read).
         */
        byte[] split(byte[] muxed, long number, byte[] segmentStart) {
            long start;
            Fmp4Tracks.Track clock = video != null ? video : track;
            long videoStart = Fmp4Tracks.firstDecodeTime(segmentStart, clock.trackId());
            if (videoStart < 0) videoStart = 0;
            // the audio keeps its offset from the video's first frame: convert that frame's time to the audio's timescale
            start = clock == track ? videoStart : Math.floorDiv(videoStart * track.timescale(), clock.timescale());
            return Fmp4Tracks.extract(muxed, track.trackId(), timeline.decodeTimeShift(number, track.timescale(), start));
        }
    }

    private Optional<DashPeriods> periods(String streamId, MediaPlaylist playlist) {
        Optional<DashTimeline> fresh = DashTimeline.of(playlist.segments());
        if (fresh.isEmpty()) return Optional.ofNullable(periods.get(streamId));
        if (periods.size() >= MAX_CACHED) periods.clear();
        return Optional.of(periods.compute(streamId, (id, kept) ->
                kept == null ? DashPeriods.of(fresh.get()) : kept.update(playlist.segments(), fresh.get())));
    }

    private List<Fmp4Tracks.Track> tracks(String streamId, String rendition, String initId) {
        Optional<StoredInit> init = store.init(streamId, rendition, initId);
        if (init.isEmpty()) return null;
        if (tracks.size() >= MAX_CACHED) tracks.clear();
        List<Fmp4Tracks.Track> found = tracks.computeIfAbsent(init.get().etag(), k -> tracksOrNone(init.get().bytes()));
        return found.isEmpty() ? null : found;
    }

    /** An init the splitter cannot read (not a fragmented MP4) gives no tracks: the rendition is left out of DASH. */
    private static List<Fmp4Tracks.Track> tracksOrNone(byte[] init) {
        try {
            return Fmp4Tracks.tracks(init);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static Fmp4Tracks.Track track(List<Fmp4Tracks.Track> tracks, Route.Track kind) {
        for (Fmp4Tracks.Track t : tracks) if (kind == Route.Track.VIDEO ? t.isVideo() : t.isAudio()) return t;
        return null;
    }

    /** The init of the newest media: the open segment's, else the newest whole segment's. */
    static String newestInitId(MediaPlaylist playlist) {
        return MpdBuilder.newestInitId(playlist, Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
