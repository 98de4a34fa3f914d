package io.livestream.common.media;

import io.livestream.common.kafka.Headers;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Maps {@link MediaRecord} to and from a {@code live.media} Kafka record (key = stream id, value = media bytes). */
public final class MediaRecordCodec {
    public static RecordHeaders headersOf(MediaRecord r) {
        RecordHeaders h = new RecordHeaders();
        Headers.putString(h, "session", r.sessionId());
        Headers.putString(h, "rendition", r.rendition());
        Headers.putString(h, "type", r.type().name().toLowerCase());
        Headers.putLong(h, "sequence", r.sequence());
        Headers.putInt(h, "part", r.partIndex());
        Headers.putLong(h, "duration-us", Math.round(r.durationSec() * 1_000_000));
        Headers.putLong(h, "pts", r.ptsMs());
        Headers.putBool(h, "independent", r.independent());
        Headers.putBool(h, "discontinuity", r.discontinuity());
        Headers.putString(h, "codecs", r.codecs());
        Headers.putInt(h, "width", r.width());
        Headers.putInt(h, "height", r.height());
        Headers.putLong(h, "frame-rate-milli", Math.round(r.frameRate() * 1000));
        Headers.putLong(h, "bandwidth", r.bandwidth());
        Headers.putLong(h, "wallclock", r.wallClockMs());
        Headers.putString(h, "container", r.container().id);
        return h;
    }

    public static ProducerRecord<byte[], byte[]> toProducerRecord(MediaRecord r) {
        return new ProducerRecord<>(Topics.MEDIA, null, r.streamId().getBytes(StandardCharsets.UTF_8), r.payload(), headersOf(r));
    }

    public static MediaRecord fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
        return fromParts(record.key(), record.value(), record.headers());
    }

    /** @throws IllegalArgumentException for a record without a key, a rendition or a known type */
    public static MediaRecord fromParts(byte[] key, byte[] value, org.apache.kafka.common.header.Headers h) {
        if (key == null) throw new IllegalArgumentException("media record without a key (the stream id)");
        String rendition = Headers.getString(h, "rendition");
        if (rendition == null) throw new IllegalArgumentException("media record without a rendition header");
        String type = Headers.getString(h, "type");
        if (type == null) throw new IllegalArgumentException("media record without a type header");
        return new MediaRecord(
                new String(key, StandardCharsets.UTF_8),
                Headers.getString(h, "session"),
                rendition,
                MediaRecord.Type.valueOf(type.toUpperCase()),
                Headers.getLong(h, "sequence", 0),
                Headers.getInt(h, "part", -1),
                Headers.getLong(h, "duration-us", 0) / 1_000_000.0,
                Headers.getLong(h, "pts", 0),
                Headers.getBool(h, "independent"),
                Headers.getBool(h, "discontinuity"),
                Headers.getString(h, "codecs"),
                Headers.getInt(h, "width", 0),
                Headers.getInt(h, "height", 0),
                Headers.getLong(h, "frame-rate-milli", 0) / 1000.0,
                Headers.getLong(h, "bandwidth", 0),
                Headers.getLong(h, "wallclock", 0),
                value,
                MediaRecord.Container.of(Headers.getString(h, "container")));
    }

    private MediaRecordCodec() {}
}
