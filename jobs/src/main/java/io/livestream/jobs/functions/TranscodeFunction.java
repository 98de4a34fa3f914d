package io.livestream.jobs.functions;

import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.media.MediaRecord;
import io.livestream.jobs.media.MediaException;
import io.livestream.jobs.media.Part;
import io.livestream.jobs.media.Segment;
import io.livestream.jobs.media.StreamTranscoder;
import io.livestream.jobs.media.TranscodeSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcodes each stream (the key) into MPEG-TS segments of every rendition of the ladder, each segment preceded by
 * its LL-HLS PART records (the segment's bytes cut at frame boundaries about every part target, sent as they are cut).
 *
 * <p>The native session ({@link StreamTranscoder}) is transient: it lives in this operator instance only and is rebuilt
 * at the next keyframe after a restore. What must survive a failover is in keyed state: the next media sequence
 * number (never goes backwards) and the codec configurations (sent once at stream start, needed to decode again).
 * A session rebuilt from state marks its first segment as a discontinuity. A session ends after {@code idleTimeoutMs}
 * without packets (a processing-time timer) or when a new publishing session starts; it then emits an END per rendition.
 */
public class TranscodeFunction extends KeyedProcessFunction<String, IngestRecord, MediaRecord> {
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 10_000;
    /** Video time going back by more than this within one session means the publisher started over. */
    static final long RESTART_JUMP_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeFunction.class);

    private final TranscodeSettings settings;
    private final long idleTimeoutMs;

    private transient Map<String, Session> sessions;
    private transient ValueState<Long> nextSequence;
    private transient ValueState<byte[]> avcConfig;
    private transient ValueState<byte[]> aacConfig;

    public TranscodeFunction(TranscodeSettings settings, long idleTimeoutMs) {
        this.settings = settings;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    public void open(OpenContext openContext) {
        sessions = new HashMap<>();
        nextSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
        avcConfig = getRuntimeContext().getState(new ValueStateDescriptor<>("avc-config", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        aacConfig = getRuntimeContext().getState(new ValueStateDescriptor<>("aac-config", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<MediaRecord> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        Session session = sessions.get(streamId);
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
        }
        try {
            if (record.sequenceHeader()) rememberConfig(record);
            if (session == null) {
                session = startSessionAt(record, streamId, now);
                if (session == null) return;
            }
            session.lastPacketMs = now;
            if (record.kind() == IngestRecord.Kind.VIDEO && !record.sequenceHeader()) session.lastVideoDtsMs = record.timestampMs();
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
        if (session == null || session.timerAt != timestamp) return; // a timer restored from before a failover
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

    /** Starts a session at a video keyframe once the AVC configuration is known; returns null for anything else. */
    private Session startSessionAt(IngestRecord record, String streamId, long now) throws Exception {
        if (record.kind() != IngestRecord.Kind.VIDEO || record.sequenceHeader() || !"avc1".equals(record.codec())) return null;
        if (!FlvTags.parseVideo(record.payload()).keyframe()) return null;
        byte[] avc = avcConfig.value();
        if (avc == null) return null;
        Long next = nextSequence.value();
        StreamTranscoder transcoder = new StreamTranscoder(streamId, settings, avc, aacConfig.value());
        Session session = new Session(transcoder, record.sessionId(), next == null ? 0 : next, next != null, now, record.ptsMs());
        sessions.put(streamId, session);
        return session;
    }

    private void rememberConfig(IngestRecord record) throws Exception {
        if (record.kind() == IngestRecord.Kind.VIDEO && "avc1".equals(record.codec())) {
            avcConfig.update(record.codecConfig());
        } else if (record.kind() == IngestRecord.Kind.AUDIO && "mp4a".equals(record.codec())) {
            aacConfig.update(record.codecConfig());
        }
    }

    /** LL-HLS parts go out as soon as they are cut; their sequence is the one their segment will have. */
    private void emitParts(String streamId, Session session, List<Part> parts, Collector<MediaRecord> out) {
        for (Part p : parts) {
            long wallClock = session.wallClockAtStartMs + (p.startPtsMs() - session.startPtsMs);
            out.collect(new MediaRecord(streamId, session.sessionId, p.rendition(), MediaRecord.Type.PART, session.baseSequence + p.segmentIndex(),
                    p.partIndex(), p.durationSec(), p.startPtsMs(), p.independent(), session.discontinuity && p.segmentIndex() == 0,
                    null, 0, 0, 0, 0, wallClock, p.payload()));
        }
    }

    private void emit(String streamId, Session session, List<Segment> segments, Collector<MediaRecord> out) throws Exception {
        for (Segment s : segments) {
            long sequence = session.baseSequence + s.index();
            long wallClock = session.wallClockAtStartMs + (s.startPtsMs() - session.startPtsMs);
            out.collect(new MediaRecord(streamId, session.sessionId, s.rendition(), MediaRecord.Type.SEGMENT, sequence, -1,
                    s.durationSec(), s.startPtsMs(), true, session.discontinuity && s.index() == 0, s.codecs(),
                    s.width(), s.height(), s.frameRate(), s.bandwidth(), wallClock, s.payload()));
            Long next = nextSequence.value();
            if (next == null || next <= sequence) nextSequence.update(sequence + 1);
            session.lastSequence = Math.max(session.lastSequence, sequence);
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
            avcConfig.clear(); // the next session sends its own sequence headers
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
}
