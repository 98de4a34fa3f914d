package io.livestream.common.kafka;

import java.util.List;
import java.util.Map;

/** Topic names and the configs they are created with; Kafka is a public interface, so these are fixed. */
public final class Topics {
    public static final String INGEST = "live.ingest";
    public static final String MEDIA = "live.media";
    public static final String STREAM_EVENTS = "live.stream-events";
    public static final String STREAM_HEALTH = "live.stream-health";
    public static final String VIEWER_HEARTBEATS = "live.viewer-heartbeats";
    public static final String VIEWER_COUNTS = "live.viewer-counts";
    public static final String CHAT_SUBMITTED = "chat.submitted";
    public static final String CHAT_MODERATION = "chat.moderation";
    public static final String CHAT_ACCEPTED = "chat.accepted";
    public static final String CHAT_REJECTED = "chat.rejected";

    /** Media topics carry keyframes and whole segments: 16 MiB leaves room over the 8 MiB the design asks. */
    public static final int MEDIA_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /**
     * batch.size of the edge's producer (a video frame per record). A produce request carries one batch per
     * partition, so with the default 16 KiB (smaller than a video frame) a stream's throughput was about five frames
     * per broker round trip: on a loaded
     * machine the edge fell minutes behind its publisher and dropped GOPs at its in-flight cap. Batches only fill
     * while earlier requests are in flight (linger stays short), so a bigger limit costs no latency. Not more: every
     * new batch takes a whole batch.size buffer from the producer's pool, which keeps it on the heap for good; at
     * 1 MiB 50 publishers held ~110 MB of pooled buffers and young collections copying them paused for up to 1.3 s
     * (issue 13). Five in-flight requests of 256 KiB per partition still carry 1.25 MiB per round trip.
     */
    public static final int MEDIA_PRODUCER_BATCH_BYTES = 256 * 1024;

    /**
     * Retry and reconnect back-off caps of every client on the media path (edge producer, transcode source and sink,
     * origin consumer). When a broker dies its clients retry until the controller has moved its partitions' leaders;
     * with Kafka's exponential back-off capped at 1 s, a client learned of the new leader up to a second after the
     * move. 200 ms keeps that under the 2 s a broker loss may stall playback (issue 10); the retries are to the
     * cluster's own brokers, few and cheap.
     */
    public static final Map<String, String> MEDIA_CLIENT_BACKOFF = Map.of("retry.backoff.max.ms", "200", "reconnect.backoff.max.ms", "200");

    /**
     * How long live.ingest and live.media keep media: what recovery needs (a restore reads live.ingest from its
     * checkpoint, seconds to minutes old) and the origin's look-back (2 minutes of live.media). Recordings are the
     * long-term store. About 0.3 MB/s of ingest and 0.5 MB/s of ladder for a 720p stream: ~0.7 GB per stream per
     * replica. Change it at run time with {@code kafka-configs --alter --add-config retention.ms=...}.
     */
    public static final long MEDIA_RETENTION_MS = 15L * 60_000;

    public record TopicSpec(String name, int partitions, Map<String, String> configs) {}

    private static final Map<String, String> MEDIA_CONFIGS = Map.of(
            "max.message.bytes", String.valueOf(MEDIA_MAX_MESSAGE_BYTES),
            "retention.ms", String.valueOf(MEDIA_RETENTION_MS),
            // retention deletes whole log segments: a segment a few minutes long, not hours
            "segment.bytes", String.valueOf(64 * 1024 * 1024),
            "compression.type", "producer");
    private static final Map<String, String> EVENT_CONFIGS = Map.of(
            "retention.ms", String.valueOf(7L * 24 * 3600_000),
            "max.message.bytes", String.valueOf(1024 * 1024));
    private static final Map<String, String> COMPACTED_EVENT_CONFIGS = Map.of(
            "retention.ms", String.valueOf(30L * 24 * 3600_000),
            "max.message.bytes", String.valueOf(1024 * 1024));

    /** Every topic of the design, with partitions sized for one machine; production raises partitions. */
    public static List<TopicSpec> all(int partitions) {
        return List.of(
                new TopicSpec(INGEST, partitions, MEDIA_CONFIGS),
                new TopicSpec(MEDIA, partitions, MEDIA_CONFIGS),
                new TopicSpec(STREAM_EVENTS, partitions, COMPACTED_EVENT_CONFIGS),
                new TopicSpec(STREAM_HEALTH, partitions, EVENT_CONFIGS),
                new TopicSpec(VIEWER_HEARTBEATS, partitions, EVENT_CONFIGS),
                new TopicSpec(VIEWER_COUNTS, partitions, EVENT_CONFIGS),
                new TopicSpec(CHAT_SUBMITTED, partitions, EVENT_CONFIGS),
                new TopicSpec(CHAT_MODERATION, partitions, EVENT_CONFIGS),
                new TopicSpec(CHAT_ACCEPTED, partitions, EVENT_CONFIGS),
                new TopicSpec(CHAT_REJECTED, partitions, EVENT_CONFIGS));
    }

    private Topics() {}
}
