package io.livestream.jobs.transcode;

import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.media.MediaRecord;
import io.livestream.jobs.lifecycle.SilenceClock;
import io.livestream.jobs.media.MediaException;
import io.livestream.jobs.media.Part;
import io.livestream.jobs.media.Segment;
import io.livestream.jobs.media.StreamTranscoder;
import io.livestream.jobs.media.TranscodeSettings;
import io.livestream.jobs.media.VideoCodec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcodes each stream (the key) into segments of every rendition of the ladder, each in CMAF fMP4 and in MPEG-TS,
 * each segment preceded by its LL-HLS PART records (the segment's bytes cut at frame boundaries about every part target, sent as they are cut).
 *
 * <p>The native session ({@link StreamTranscoder}) is transient: it lives in this operator instance only and is rebuilt
 * at the next keyframe after a restore. What must survive a failover is in keyed state: the next media sequence
 * number (never goes backwards), the codec configurations (sent once at stream start, needed to decode again) and the
 * open session's {@link TranscodeProgress}. Sequence numbers follow the source's GOPs: a session rebuilt after a
 * restore skips the GOP that was in flight at the checkpoint and numbers the next one as it was numbered before the
 * failure, so a number never comes back with other content and what is re-emitted is a replay the origin drops. Its
 * first segment is marked as a discontinuity.
 *
 * <p>A session ends after {@code idleTimeoutMs} without packets (a processing-time timer, which a restored operator
 * still fires: the open session is in state), at once on the publisher's clean stop (an END ingest record), or when a
 * new publishing session starts; it then emits an END per rendition.
 */
public class TranscodeFunction extends KeyedProcessFunction<String, IngestRecord, MediaRecord> {
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 10_000;
    /** A running stream this far behind live is overloaded: it skips to the newest GOP (live latency over completeness). */
    public static final long DEFAULT_CATCH_UP_LAG_MS = 5_000;
    /**
     * A restore's backlog (checkpoint interval + failure detection + restore: 2-9 s on the one-machine cluster) is
     * transcoded, faster than real time, unless it is older than this: a failover must lose at most the GOP in flight,
     * not the seconds the restore took. Only a long outage's backlog is skipped.
     */
    public static final long DEFAULT_RESTORE_CATCH_UP_LAG_MS = 30_000;
    /**
     * How long a restored session may fall further behind before it drains: a TaskManager that was restarted and has
     * run nothing since reads slower than real time at first (failover suite: 4 s behind, then 7.7 s, then drained).
     * After this, each further period of this length must bring the lag down, or the session is an overload like any
     * other and is cut. Judged over a period, not from one keyframe to the next: a JobManager failover's backlog of
     * 20 s drained at 1.9x real time on the loaded box, and a keyframe that came a little later than the one before
     * cut it, shedding 11-23 GOPs of a backlog that would have drained in 10 s more.
     */
    static final long RESTORE_WARM_UP_MS = 10_000;
    /** Video time going back by more than this within one session means the publisher started over. */
    static final long RESTART_JUMP_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeFunction.class);

    private final TranscodeSettings settings;
    private final long idleTimeoutMs;
    private final long catchUpLagMs;
    private final long restoreCatchUpLagMs;
    private final long noInputAllowanceMs;

    private transient Map<String, Session> sessions;
    /** When media last arrived per stream, also while no native session runs (after a restore, before a keyframe). */
    private transient Map<String, Long> lastPacketMs;
    private transient SilenceClock silenceClock;
    /** How often each stream's publishing session was cut for falling behind live (reset by a new session). */
    private transient Map<String, Integer> shedCounts;
    /** Streams skipping stale GOPs (after a restore or an overload cut) until a keyframe near live. */
    private transient Set<String> skippingToLive;
    /** Streams whose resumed session is transcoding a restore's backlog, until a keyframe within catchUpLagMs of live. */
    /** Streams draining a restore's backlog: when their draining began and their lag at the last keyframe. */
    private transient Map<String, Draining> catchingUp;
    /** GOP skips for falling behind live (overload), for the dashboard and Prometheus. */
    private transient Counter behindLiveSkips;
    private transient ValueState<Long> nextSequence;
    private transient ValueState<TranscodeProgress> progress;
    /** The video sequence header's configuration record (state name from when only AVC was transcoded). */
    private transient ValueState<byte[]> avcConfig;
    /** Its codec's FourCC; absent (as in checkpoints from before HEVC and AV1) means avc1. */
    private transient ValueState<String> videoCodec;
    private transient ValueState<byte[]> aacConfig;

    public TranscodeFunction(TranscodeSettings settings, long idleTimeoutMs) {
        this(settings, idleTimeoutMs, 0);
    }

    /**
     * @param catchUpLagMs a session resumed after a restore skips source GOPs that reached Kafka more than this long
     *     ago (the backlog of the outage) and starts at the first keyframe within a fifth of it, so live viewers are
     *     not kept behind while it would catch up; a running session that falls this far behind (overload) is cut
     *     at its next keyframe and resumed the same way; 0 transcodes everything, however late
     */
    public TranscodeFunction(TranscodeSettings settings, long idleTimeoutMs, long catchUpLagMs) {
        this(settings, idleTimeoutMs, catchUpLagMs, SilenceClock.DEFAULT_NO_INPUT_ALLOWANCE_MS);
    }

    /** @param noInputAllowanceMs after a restore with no input at all, how long before silence counts ({@link SilenceClock}) */
    public TranscodeFunction(TranscodeSettings settings, long idleTimeoutMs, long catchUpLagMs, long noInputAllowanceMs) {
        this(settings, idleTimeoutMs, catchUpLagMs, catchUpLagMs <= 0 ? 0 : Math.max(catchUpLagMs, DEFAULT_RESTORE_CATCH_UP_LAG_MS),
                noInputAllowanceMs);
    }

    /**
     * @param restoreCatchUpLagMs a session resumed after a restore transcodes its backlog unless the backlog is older
     *     than this (then it skips, as for {@code catchUpLagMs}); the overload cut waits until it has caught up
     */
    public TranscodeFunction(TranscodeSettings settings, long idleTimeoutMs, long catchUpLagMs, long restoreCatchUpLagMs, long noInputAllowanceMs) {
        this.settings = settings;
        this.idleTimeoutMs = idleTimeoutMs;
        this.catchUpLagMs = catchUpLagMs;
        this.restoreCatchUpLagMs = restoreCatchUpLagMs;
        this.noInputAllowanceMs = noInputAllowanceMs;
    }

    @Override
    public void open(OpenContext openContext) {
        sessions = new HashMap<>();
        lastPacketMs = new HashMap<>();
        shedCounts = new HashMap<>();
        skippingToLive = new HashSet<>();
        catchingUp = new HashMap<>();
        behindLiveSkips = getRuntimeContext().getMetricGroup().counter("skippedBehindLive");
        silenceClock = new SilenceClock(noInputAllowanceMs);
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("progress", TranscodeProgress.class));
        nextSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
        avcConfig = getRuntimeContext().getState(new ValueStateDescriptor<>("avc-config", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        aacConfig = getRuntimeContext().getState(new ValueStateDescriptor<>("aac-config", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        videoCodec = getRuntimeContext().getState(new ValueStateDescriptor<>("video-codec", Types.STRING));
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<MediaRecord> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        silenceClock.input(now);
        Session session = sessions.get(streamId);
        TranscodeProgress restored = session == null ? progress.value() : null;
        if (restored != null) {
            // restored from a checkpoint: the open session is in state only; its clean stop, or a new session, ends it
            boolean sameSession = Objects.equals(restored.sessionId, record.sessionId());
            boolean stopped = sameSession && record.isEndOfSession();
            boolean replaced = !sameSession && !record.isEndOfSession();
            if (stopped || replaced) endRestoredSession(streamId, restored, now, out);
        }
        if (record.isEndOfSession()) {
            if (session != null && Objects.equals(session.sessionId, record.sessionId())) endSession(streamId, session, ctx, out);
            return; // an END of an older session is stale
        }
        lastPacketMs.put(streamId, now);
        if (session != null && !Objects.equals(session.sessionId, record.sessionId())) {
            endSession(streamId, session, ctx, out);
            session = null;
        } else if (session != null && publisherRestarted(session, record)) {
            // the same session resumed after a reconnect within the grace period: the publisher's timestamps and
            // codec state start over, so the native session does too; the next keyframe continues the sequence,
            // marked as a discontinuity, and the playlists stay open
            LOG.info("stream {}: publisher of session {} reconnected, resuming at the next keyframe", streamId, session.sessionId);
            flush(streamId, session, out);
            closeSession(streamId, session, ctx);
            session = null;
            // the publisher's clock started over: number on from the last segment, not by keyframe time
            TranscodeProgress open = progress.value();
            if (open != null) {
                open.gopSequence = -1;
                progress.update(open);
            }
        }
        if (session != null && fellBehindLive(record, ctx, now)) {
            // overload: this stream's media reached Kafka more than catchUpLagMs ago, so the subtask encodes slower
            // than real time; rather than fall further behind, drop to the newest GOP (as after a restore, below)
            int shed = shedCounts.merge(streamId, 1, Integer::sum);
            if (Integer.bitCount(shed) == 1) { // the 1st, 2nd, 4th, 8th... time: a line per episode, not a flood
                LOG.warn("stream {}: {} ms behind live (over {} ms): skipping to the newest keyframe (shed {} time(s) this session)",
                        streamId, now - ctx.timestamp(), catchUpLagMs, shed);
            }
            flush(streamId, session, out);
            closeSession(streamId, session, ctx);
            session = null;
            behindLiveSkips.inc();
            skippingToLive.add(streamId);
        }
        try {
            if (record.sequenceHeader()) rememberConfig(record);
            if (session == null) {
                if (skipStaleGop(record, ctx, now)) return;
                session = startSessionAt(record, streamId, now, ingestTimeOf(ctx, now));
                if (session == null) return;
            }
            session.lastPacketMs = now;
            if (record.kind() == IngestRecord.Kind.VIDEO && !record.sequenceHeader()) {
                if (session.lastVideoDtsMs != Long.MIN_VALUE && isKeyframe(record)) gopStarted(session, record, now);
                session.lastVideoDtsMs = record.timestampMs();
            }
            List<Segment> segments = session.transcoder.accept(record);
            emitParts(streamId, session, session.transcoder.takeParts(), out);
            emit(streamId, session, segments, out);
            if (!session.announced && session.transcoder.sourceDescription() != null) {
                session.announced = true;
                LOG.info("stream {}: session {} started, source {}, renditions {}, from sequence {}{}", streamId, session.sessionId,
                        session.transcoder.sourceDescription(), session.transcoder.renditions(), session.baseSequence,
                        session.discontinuity ? " (discontinuity)" : "");
            }
        } catch (IllegalArgumentException malformed) {
            return; // a tag body too short for its header or an unusable codec config: drop that record only
        } catch (MediaException e) {
            if (Thread.currentThread().isInterrupted()) {
                // the task is being cancelled (a failover, a stop), the stream is not broken: nothing to report
                if (session != null) closeSession(streamId, session, ctx);
                return;
            }
            // a broken stream must not fail the job (and every other stream with it): drop the session, the next
            // keyframe starts a new one, marked as a discontinuity
            LOG.error("stream {}: transcoding failed, restarting at the next keyframe: {}", streamId, e.getMessage());
            if (session != null) closeSession(streamId, session, ctx);
            return;
        }
        if (session.timerAt == 0) {
            session.timerAt = now + idleTimeoutMs;
            ctx.timerService().registerProcessingTimeTimer(session.timerAt);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MediaRecord> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        Session session = sessions.get(streamId);
        if (session == null) {
            onTimerOfRestoredSession(streamId, timestamp, ctx, out);
            return;
        }
        if (session.timerAt != timestamp) return; // a timer of a session before this one
        session.timerAt = 0;
        if (timestamp - session.lastPacketMs >= idleTimeoutMs) {
            endSession(streamId, session, ctx, out);
        } else {
            // one timer per stream, moved forward lazily instead of re-registered for every packet
            session.timerAt = session.lastPacketMs + idleTimeoutMs;
            ctx.timerService().registerProcessingTimeTimer(session.timerAt);
        }
    }

    @Override
    public void close() {
        if (sessions != null) {
            sessions.values().forEach(s -> s.transcoder.close());
            sessions.clear();
        }
    }

    /**
     * A timer of a session that lives in state only (the operator was restored): ends it once its media has been
     * silent for the idle timeout, as the native session's timer would have.
     */
    private void onTimerOfRestoredSession(String streamId, long timestamp, OnTimerContext ctx, Collector<MediaRecord> out) throws Exception {
        TranscodeProgress open = progress.value();
        if (open == null) return;
        // a restored timer fires at once, before the backlog that may show the publisher still live has been read:
        // silence counts from this instance's first input at the earliest
        long last = Math.max(Math.max(open.lastPacketMs, lastPacketMs.getOrDefault(streamId, Long.MIN_VALUE)),
                silenceClock.countsFrom(ctx.timerService().currentProcessingTime()));
        if (timestamp - last >= idleTimeoutMs) {
            endRestoredSession(streamId, open, timestamp, out);
        } else {
            ctx.timerService().registerProcessingTimeTimer(last + idleTimeoutMs);
        }
    }

    /**
     * Sends the END of a session known from state only: its last segment went out before the failure. The codec
     * configurations stay: if the session's media comes after all, it starts again at its next keyframe (numbering
     * on, a discontinuity) instead of waiting for a sequence header that was sent once, at the publish.
     */
    private void endRestoredSession(String streamId, TranscodeProgress open, long now, Collector<MediaRecord> out) throws Exception {
        for (String rendition : open.renditions()) {
            out.collect(new MediaRecord(streamId, open.sessionId, rendition, MediaRecord.Type.END, open.lastSequence, -1,
                    0, 0, false, false, null, 0, 0, 0, 0, now, null));
        }
        LOG.info("stream {}: session {} ended after sequence {} (restored, no media since)", streamId, open.sessionId, open.lastSequence);
        progress.clear();
    }

    /**
     * Overload: a keyframe of the running session that reached Kafka more than {@code catchUpLagMs} ago. Checked at
     * keyframes only, so a session is cut between GOPs; the restore path then skips to the first recent keyframe.
     */
    private boolean fellBehindLive(IngestRecord record, Context ctx, long now) {
        if (catchUpLagMs <= 0 || ctx.timestamp() == null) return false;
        if (record.kind() != IngestRecord.Kind.VIDEO || record.sequenceHeader() || !isKeyframe(record)) return false;
        long lag = now - ctx.timestamp();
        String streamId = ctx.getCurrentKey();
        // a session draining a restore's backlog is behind by design, and near live once drained: only a long outage
        // cuts it. A restored TaskManager is cold (JIT, first use of the encoders), so the lag may first grow from
        // under catchUpLagMs to over it before it shrinks (failover suite: 4 s, then 7.7 s, then drained)
        Draining draining = catchingUp.get(streamId);
        if (draining != null) {
            if (lag <= catchUpLagMs / 5) {
                catchingUp.remove(streamId);
                LOG.info("stream {}: restored session drained its backlog ({} ms behind live at the restore) in {} ms", streamId,
                        draining.startLagMs, now - draining.sinceMs);
            } else if (draining.drains(now, lag) || lag <= catchUpLagMs) return lag > restoreCatchUpLagMs;
            else catchingUp.remove(streamId); // warmed up and not coming down: an overload like any other
        }
        return lag > catchUpLagMs;
    }

    /**
     * After a restore, a keyframe of the open session that reached Kafka more than {@code catchUpLagMs} ago (the
     * record's Kafka timestamp) is not transcoded: its GOP is counted, so numbering stays per GOP, and the session
     * starts at the first recent keyframe. The skipped GOPs are a gap (a discontinuity) in the playlists.
     */
    private boolean skipStaleGop(IngestRecord record, Context ctx, long now) throws Exception {
        if (catchUpLagMs <= 0 || ctx.timestamp() == null) return false;
        if (record.kind() != IngestRecord.Kind.VIDEO || record.sequenceHeader() || !isKeyframe(record)) return false;
        String streamId = ctx.getCurrentKey();
        long lag = now - ctx.timestamp();
        // hysteresis: once skipping, go on to a keyframe near live (a fifth of the lag allowed), not to the first one
        // just under the limit, which would start the session at the limit and cut it again a GOP later; a restore's
        // backlog is transcoded unless it is older than restoreCatchUpLagMs
        boolean cutForOverload = skippingToLive.contains(streamId);
        TranscodeProgress open = progress.value();
        boolean sameSession = open != null && Objects.equals(open.sessionId, record.sessionId());
        if (lag <= (cutForOverload ? catchUpLagMs / 5 : restoreCatchUpLagMs)) {
            skippingToLive.remove(streamId);
            // a restored session more than a second behind has a backlog to drain, not an overload
            if (!cutForOverload && sameSession && lag > catchUpLagMs / 5) catchingUp.putIfAbsent(streamId, new Draining(now, lag));
            return false;
        }
        if (!sameSession) {
            skippingToLive.remove(streamId); // a new session starts where it starts
            return false;
        }
        skippingToLive.add(streamId);
        long sequence = open.sequenceForRestartAt(record.timestampMs());
        if (open.skippedGops++ == 0) {
            LOG.info("stream {}: resuming session {} behind live by {} ms: skipping to a recent keyframe", streamId, open.sessionId, lag);
        }
        open.gopSequence = sequence;
        open.gopDtsMs = record.timestampMs();
        progress.update(open);
        // the number is used up even though nothing is emitted under it: the run before the failure may have emitted
        // this GOP, so a later session must not start below it (origins take these numbers as media sequence numbers)
        Long next = nextSequence.value();
        if (next == null || next <= sequence) nextSequence.update(sequence + 1);
        return true;
    }

    private static boolean isKeyframe(IngestRecord record) {
        return record.keyframe() || FlvTags.parseVideo(record.payload()).keyframe();
    }

    /**
     * When the edge took the record in (its Kafka timestamp), never later than now: the wall clock of its media.
     * A session started from a backlog after a restore would otherwise date its segments by when it caught up, seconds
     * late, and PROGRAM-DATE-TIME would run ahead of the clock once the backlog drained.
     */
    private static long ingestTimeOf(Context ctx, long now) {
        Long timestamp = ctx.timestamp();
        return timestamp == null || timestamp <= 0 ? now : Math.min(timestamp, now);
    }

    /**
     * Starts a session at a video keyframe of a decodable codec ({@link VideoCodec}) once that codec's configuration
     * is known; returns null for anything else.
     */
    private Session startSessionAt(IngestRecord record, String streamId, long now, long keyframeWallClockMs) throws Exception {
        if (record.kind() != IngestRecord.Kind.VIDEO || record.sequenceHeader()) return null;
        VideoCodec codec = VideoCodec.fromFourCc(record.codec());
        if (codec == null || !isKeyframe(record)) return null;
        byte[] config = avcConfig.value();
        String configCodec = videoCodec.value() == null ? VideoCodec.H264.fourCc() : videoCodec.value();
        if (config == null || !configCodec.equals(record.codec())) return null;
        Long next = nextSequence.value();
        TranscodeProgress open = progress.value();
        // the same session again: restored from a checkpoint, or restarted after a broken GOP or a reconnect
        boolean restored = open != null && Objects.equals(open.sessionId, record.sessionId());
        long base = restored ? open.sequenceForRestartAt(record.timestampMs()) : next == null ? 0 : next;
        StreamTranscoder transcoder = new StreamTranscoder(streamId, settings, codec, config, aacConfig.value());
        Session session = new Session(transcoder, record.sessionId(), base, next != null, keyframeWallClockMs, record.ptsMs());
        sessions.put(streamId, session);
        if (!restored) {
            progress.update(new TranscodeProgress(record.sessionId()));
            shedCounts.remove(streamId); // a new publishing session counts its own cuts
        }
        gopStarted(session, record, now);
        return session;
    }

    /** A source keyframe opens the next GOP of the session: remembered, so a restore knows where numbering stands. */
    private void gopStarted(Session session, IngestRecord keyframe, long now) throws Exception {
        TranscodeProgress open = progress.value();
        if (open == null) open = new TranscodeProgress(session.sessionId);
        open.gopSequence = session.baseSequence + session.gopsStarted;
        open.gopDtsMs = keyframe.timestampMs();
        open.lastPacketMs = now;
        progress.update(open);
        session.gopsStarted++;
    }

    private void rememberConfig(IngestRecord record) throws Exception {
        if (record.kind() == IngestRecord.Kind.VIDEO && VideoCodec.fromFourCc(record.codec()) != null) {
            avcConfig.update(record.codecConfig());
            videoCodec.update(record.codec());
        } else if (record.kind() == IngestRecord.Kind.VIDEO) { // once per publish: sequence headers are rare
            LOG.warn("stream {}: video codec {} is not transcoded (H.264, HEVC and AV1 are): no renditions", record.streamId(), record.codec());
        } else if (record.kind() == IngestRecord.Kind.AUDIO && "mp4a".equals(record.codec())) {
            aacConfig.update(record.codecConfig());
        }
    }

    /**
     * LL-HLS parts go out as soon as they are cut; their sequence is the one their segment will have. Each goes out
     * twice, MPEG-TS then fMP4; a segment's first fMP4 part is preceded by the rendition's INIT, repeated per segment
     * so that an origin reading from the middle of a session has it.
     */
    private void emitParts(String streamId, Session session, List<Part> parts, Collector<MediaRecord> out) {
        for (Part p : parts) {
            long wallClock = session.wallClockAtStartMs + (p.startPtsMs() - session.startPtsMs);
            MediaRecord ts = new MediaRecord(streamId, session.sessionId, p.rendition(), MediaRecord.Type.PART, session.baseSequence + p.segmentIndex(),
                    p.partIndex(), p.durationSec(), p.startPtsMs(), p.independent(), session.discontinuity && p.segmentIndex() == 0,
                    null, 0, 0, 0, 0, wallClock, p.payload());
            out.collect(ts);
            if (p.fmp4Payload().length == 0) continue; // before the session's first video packet
            if (p.partIndex() == 0 && p.fmp4Init() != null) out.collect(initRecord(ts, p.fmp4Init()));
            out.collect(ts.in(MediaRecord.Container.FMP4, p.fmp4Payload()));
        }
    }

    private static MediaRecord initRecord(MediaRecord of, byte[] init) {
        return new MediaRecord(of.streamId(), of.sessionId(), of.rendition(), MediaRecord.Type.INIT, of.sequence(), -1, 0, of.ptsMs(), true,
                of.discontinuity(), of.codecs(), of.width(), of.height(), of.frameRate(), of.bandwidth(), of.wallClockMs(), init,
                MediaRecord.Container.FMP4);
    }

    private void emit(String streamId, Session session, List<Segment> segments, Collector<MediaRecord> out) throws Exception {
        for (Segment s : segments) {
            long sequence = session.baseSequence + s.index();
            long wallClock = session.wallClockAtStartMs + (s.startPtsMs() - session.startPtsMs);
            MediaRecord ts = new MediaRecord(streamId, session.sessionId, s.rendition(), MediaRecord.Type.SEGMENT, sequence, -1,
                    s.durationSec(), s.startPtsMs(), true, session.discontinuity && s.index() == 0, s.codecs(),
                    s.width(), s.height(), s.frameRate(), s.bandwidth(), wallClock, s.payload());
            out.collect(ts);
            if (s.fmp4Payload().length > 0) {
                if (settings.partTargetMs() <= 0 && s.fmp4Init() != null) out.collect(initRecord(ts, s.fmp4Init())); // no parts carried it
                out.collect(ts.in(MediaRecord.Container.FMP4, s.fmp4Payload()));
            }
            Long next = nextSequence.value();
            if (next == null || next <= sequence) nextSequence.update(sequence + 1);
            session.lastSequence = Math.max(session.lastSequence, sequence);
            TranscodeProgress open = progress.value();
            if (open != null && (open.lastSequence < sequence || !open.hasRendition(s.rendition()))) {
                open.lastSequence = Math.max(open.lastSequence, sequence);
                open.addRendition(s.rendition());
                progress.update(open);
            }
        }
    }

    /** A new video sequence header, or video time jumping back by more than a second, once frames have flowed. */
    static boolean publisherRestarted(Session session, IngestRecord record) {
        if (record.kind() != IngestRecord.Kind.VIDEO || session.lastVideoDtsMs == Long.MIN_VALUE) return false;
        return record.sequenceHeader() || record.timestampMs() < session.lastVideoDtsMs - RESTART_JUMP_MS;
    }

    /** Closes the last segment of every rendition and sends it with its parts. */
    private void flush(String streamId, Session session, Collector<MediaRecord> out) throws Exception {
        List<Segment> last = List.of();
        try {
            last = session.transcoder.finish();
        } catch (MediaException e) {
            LOG.error("stream {}: flushing the last segment failed: {}", streamId, e.getMessage());
        }
        emitParts(streamId, session, session.transcoder.takeParts(), out);
        emit(streamId, session, last, out);
    }

    private void endSession(String streamId, Session session, Context ctx, Collector<MediaRecord> out) throws Exception {
        catchingUp.remove(streamId);
        try {
            flush(streamId, session, out);
            long now = ctx.timerService().currentProcessingTime();
            for (String rendition : session.transcoder.renditions()) {
                out.collect(new MediaRecord(streamId, session.sessionId, rendition, MediaRecord.Type.END, session.lastSequence, -1,
                        0, 0, false, false, null, 0, 0, 0, 0, now, null));
            }
            LOG.info("stream {}: session {} ended after sequence {} ({} GOPs over 6 s)", streamId, session.sessionId,
                    session.lastSequence, session.transcoder.longGopCount());
        } finally {
            closeSession(streamId, session, ctx);
            progress.clear();
            avcConfig.clear(); // the next session sends its own sequence headers
            videoCodec.clear();
            aacConfig.clear();
        }
    }

    private void closeSession(String streamId, Session session, Context ctx) {
        sessions.remove(streamId);
        if (session.timerAt != 0) ctx.timerService().deleteProcessingTimeTimer(session.timerAt);
        session.timerAt = 0;
        session.transcoder.close();
    }

    /** What this operator instance holds for one live stream; nothing here is checkpointed. */
    static final class Session {
        final StreamTranscoder transcoder;
        final String sessionId;
        final long baseSequence;
        final boolean discontinuity;
        final long wallClockAtStartMs;
        final long startPtsMs;
        long lastSequence = -1;
        long lastVideoDtsMs = Long.MIN_VALUE;
        boolean announced;
        /** GOPs (source keyframes) this native session has started; the first is {@code baseSequence}. */
        long gopsStarted;
        long lastPacketMs;
        long timerAt;

        Session(StreamTranscoder transcoder, String sessionId, long baseSequence, boolean discontinuity, long wallClockAtStartMs, long startPtsMs) {
            this.transcoder = transcoder;
            this.sessionId = sessionId;
            this.baseSequence = baseSequence;
            this.discontinuity = discontinuity;
            this.wallClockAtStartMs = wallClockAtStartMs;
            this.startPtsMs = startPtsMs;
        }
    }

    /** A restored session draining its backlog (see {@link #RESTORE_WARM_UP_MS}). */
    private static final class Draining {
        final long sinceMs;
        final long startLagMs;
        /** When progress was last checked (0: not yet, the warm-up is not over), and the lag then. */
        long checkedAtMs;
        long checkedLagMs;

        Draining(long sinceMs, long lagMs) {
            this.sinceMs = sinceMs;
            this.startLagMs = lagMs;
        }

        /**
         * Whether the backlog still drains, at a keyframe {@code lagMs} behind: any lag in the warm-up; after it, a lag
         * below the one of the check a period before (the first keyframe after the warm-up starts the checks).
         */
        boolean drains(long now, long lagMs) {
            if (now - sinceMs <= RESTORE_WARM_UP_MS) return true;
            if (checkedAtMs == 0) {
                checkedAtMs = now;
                checkedLagMs = lagMs;
                return true;
            }
            if (now - checkedAtMs < RESTORE_WARM_UP_MS) return true;
            boolean cameDown = lagMs < checkedLagMs;
            checkedAtMs = now;
            checkedLagMs = lagMs;
            return cameDown;
        }
    }
}
