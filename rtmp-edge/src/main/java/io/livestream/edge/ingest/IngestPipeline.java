package io.livestream.edge.ingest;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.metrics.EdgeMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One publish's way to the sink: message -> ingest record -> throttle -> sink, counting what happens. */
public final class IngestPipeline {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    private final String streamId;
    private final IngestRecordMapper mapper;
    private final IngestThrottle throttle;
    private final IngestSink.Publish sink;
    private final EdgeMetrics metrics;
    private final AtomicBoolean sinkFailureLogged = new AtomicBoolean();
    /** One completion for all the records (runs on the sink's thread). */
    private final IngestSink.Completion onStored = this::stored;
    private final IngestSink.Completion onEndStored = this::endStored;

    public IngestPipeline(String streamId, String sessionId, long maxInflightBytes, IngestSink sink, EdgeMetrics metrics) {
        this.streamId = streamId;
        this.mapper = new IngestRecordMapper(streamId, sessionId);
        this.throttle = new IngestThrottle(maxInflightBytes);
        this.sink = sink.publish(streamId, sessionId);
        this.metrics = metrics;
    }

    public void accept(RtmpMessage message) {
        IngestRecord record = mapper.map(message);
        if (record == null) return;
        switch (throttle.admit(record)) {
            case ADMIT -> sink.send(record, onStored);
            case STALL_STARTED -> {
                metrics.recordDropped();
                log.warn("stream {}: sink stalled with {} bytes in flight, dropping until the next keyframe", streamId, throttle.inflightBytes());
            }
            case DROP -> metrics.recordDropped();
        }
    }

    private void stored(int payloadBytes, Throwable error) {
        throttle.completed(payloadBytes);
        if (error == null) {
            metrics.recordProduced();
        } else {
            metrics.recordFailed();
            if (sinkFailureLogged.compareAndSet(false, true)) log.warn("stream {}: ingest sink failed: {}", streamId, error.toString());
        }
    }

    /**
     * The publisher stopped cleanly: one END record after everything it sent (same key, so same partition and order),
     * past the throttle, so the jobs end the session at once rather than after the reconnect grace.
     */
    public void finishCleanly() {
        sink.send(mapper.endOfSession(), onEndStored);
    }

    private void endStored(int payloadBytes, Throwable error) {
        if (error != null) log.warn("stream {}: end of session not sent: {}", streamId, error.toString());
    }

    public long dropped() {
        return throttle.dropped();
    }
}
