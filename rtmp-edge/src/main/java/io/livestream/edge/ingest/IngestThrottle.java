package io.livestream.edge.ingest;

import io.livestream.common.ingest.IngestRecord;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds one publisher's memory while the sink is slow: records are admitted while the bytes handed over but not yet
 * stored stay under the cap; past it, everything is dropped until the next video keyframe (a decoder cannot start
 * elsewhere) that fits again. Sequence headers always pass: without them nothing after can be decoded.
 * {@link #admit} runs on the connection's thread, {@link #completed} on the sink's.
 */
public final class IngestThrottle {
    /** What {@link #admit} decided; STALL_STARTED is the first drop of a stall, worth one log line. */
    public enum Decision { ADMIT, DROP, STALL_STARTED }

    private final long maxInflightBytes;
    private final AtomicLong inflightBytes = new AtomicLong();
    private boolean dropping;
    private boolean videoSeen;
    private long dropped;

    public IngestThrottle(long maxInflightBytes) {
        this.maxInflightBytes = maxInflightBytes;
    }

    public Decision admit(IngestRecord record) {
        int size = record.payload().length;
        boolean video = record.kind() == IngestRecord.Kind.VIDEO;
        videoSeen |= video;
        boolean fits = inflightBytes.get() + size <= maxInflightBytes;
        if (record.sequenceHeader()) {
            inflightBytes.addAndGet(size);
            return Decision.ADMIT;
        }
        if (dropping) {
            boolean restartPoint = record.keyframe() && (video || !videoSeen);
            if (restartPoint && fits) {
                dropping = false;
            } else {
                dropped++;
                return Decision.DROP;
            }
        } else if (!fits) {
            dropping = true;
            dropped++;
            return Decision.STALL_STARTED;
        }
        inflightBytes.addAndGet(size);
        return Decision.ADMIT;
    }

    /** The sink finished with an admitted record of {@code payloadBytes} (stored or failed). */
    public void completed(int payloadBytes) {
        inflightBytes.addAndGet(-payloadBytes);
    }

    public long inflightBytes() {
        return inflightBytes.get();
    }

    public long dropped() {
        return dropped;
    }
}
