package io.livestream.common.ingest;

import io.livestream.common.kafka.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The {@code live.ingest} producer records of one publish (one stream id, one session id): the same record format as
 * {@link IngestRecordCodec#toProducerRecord}, which uses this, but what does not change within a publish — the key,
 * the session, type and codec header values, the flags — is encoded once and shared by the records, so an edge at
 * tens of tags a second per publisher encodes only the two timestamps per tag. The shared header values must not be
 * modified (Kafka only reads them). Not thread-safe: one instance per publish, used on its connection's thread.
 */
public final class IngestProducerRecords {
    private static final Map<IngestRecord.Kind, Header> TYPES = new EnumMap<>(IngestRecord.Kind.class);
    private static final Header KEYFRAME = flag(IngestRecordCodec.H_KEYFRAME, true);
    private static final Header NOT_KEYFRAME = flag(IngestRecordCodec.H_KEYFRAME, false);
    private static final Header SEQUENCE_HEADER = flag(IngestRecordCodec.H_SEQUENCE_HEADER, true);
    private static final Header NOT_SEQUENCE_HEADER = flag(IngestRecordCodec.H_SEQUENCE_HEADER, false);

    static {
        for (IngestRecord.Kind kind : IngestRecord.Kind.values()) {
            TYPES.put(kind, string(IngestRecordCodec.H_TYPE, kind.name().toLowerCase(Locale.ROOT)));
        }
    }

    private final String streamId;
    private final String sessionId;
    private final byte[] key;
    private final Header session;
    /** A publish has one or two codecs (video, audio) plus amf0 for data: a few entries, filled on first use. */
    private final Map<String, Header> codecs = new HashMap<>();

    public IngestProducerRecords(String streamId, String sessionId) {
        this.streamId = streamId;
        this.sessionId = sessionId;
        this.key = streamId.getBytes(StandardCharsets.UTF_8);
        this.session = sessionId == null ? null : string(IngestRecordCodec.H_SESSION, sessionId);
    }

    /** The record for {@code r}, which must be of this publish (its stream and session id). */
    public ProducerRecord<byte[], byte[]> toProducerRecord(IngestRecord r) {
        if (!streamId.equals(r.streamId()) || !Objects.equals(sessionId, r.sessionId())) {
            throw new IllegalArgumentException(r + " is not of stream " + streamId + " session " + sessionId);
        }
        Header codec = r.codec() == null ? null : codecs.computeIfAbsent(r.codec(), c -> string(IngestRecordCodec.H_CODEC, c));
        // the order and the values are IngestRecordCodec's format; absent strings (session, codec) have no header
        Header[] headers = new Header[5 + (session == null ? 0 : 1) + (codec == null ? 0 : 1)];
        int i = 0;
        headers[i++] = TYPES.get(r.kind());
        if (session != null) headers[i++] = session;
        headers[i++] = new RecordHeader(IngestRecordCodec.H_DTS, ByteBuffer.allocate(8).putLong(r.timestampMs()).array());
        headers[i++] = new RecordHeader(IngestRecordCodec.H_CTS, ByteBuffer.allocate(4).putInt(r.compositionTimeMs()).array());
        headers[i++] = r.keyframe() ? KEYFRAME : NOT_KEYFRAME;
        headers[i++] = r.sequenceHeader() ? SEQUENCE_HEADER : NOT_SEQUENCE_HEADER;
        if (codec != null) headers[i] = codec;
        return new ProducerRecord<>(Topics.INGEST, null, key, r.payload(), new RecordHeaders(headers));
    }

    private static Header string(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Header flag(String name, boolean value) {
        return new RecordHeader(name, new byte[] {(byte) (value ? 1 : 0)});
    }
}
