package io.livestream.devstack.bench;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import io.livestream.devstack.TopicTails;
import io.livestream.edge.ingest.IngestSink;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a segment's availability goes, hop by hop, in the availability benchmark's run of our pipeline: the edge's
 * sink taps when it handed each video keyframe to Kafka and when Kafka acknowledged it (the keyframe that closes a
 * segment is what the segment waits for), and a consumer beside the origin's on {@code live.media} taps when each
 * segment record arrived. All on the benchmark JVM's clock, the poller's too.
 */
final class AvailabilityHops implements AutoCloseable {
    /** Per keyframe dts: wall time the edge handed it to its sink, and when it was acknowledged. */
    private final NavigableMap<Long, long[]> keyframes = new ConcurrentSkipListMap<>();
    /** Per rendition and media sequence number: the segment's start pts and the wall time its record arrived. */
    private final Map<String, Map<Long, long[]>> segments = new ConcurrentHashMap<>();
    /** When the edge accepted the publish (its sink's first publish), wall ms; 0 before. */
    volatile long publishAcceptedMs;
    /** When the first keyframe reached the edge's sink, wall ms; 0 before. */
    volatile long firstKeyframeMs;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    AvailabilityHops(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicTails.assignAtEnd(consumer, Topics.MEDIA, Duration.ofMinutes(1));
        thread = new Thread(this::read, "tap-media");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    MediaRecord m = MediaRecordCodec.fromConsumerRecord(r);
                    if (m.type() != MediaRecord.Type.SEGMENT || m.container() != MediaRecord.Container.FMP4) continue;
                    segments.computeIfAbsent(m.rendition(), k -> new ConcurrentHashMap<>()).putIfAbsent(m.sequence(), new long[] {m.ptsMs(), now});
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Forgets what was tapped so far (a warm-up publish). */
    void reset() {
        keyframes.clear();
        segments.clear();
        publishAcceptedMs = 0;
        firstKeyframeMs = 0;
    }

    /** The edge's sink, tapped. */
    IngestSink tap(IngestSink sink) {
        return new IngestSink() {
            @Override
            public CompletionStage<Void> send(IngestRecord record) {
                return sink.send(record);
            }

            @Override
            public Publish publish(String streamId, String sessionId) {
                Publish publish = sink.publish(streamId, sessionId);
                if (publishAcceptedMs == 0) publishAcceptedMs = System.currentTimeMillis();
                return (record, done) -> {
                    if (record.kind() != IngestRecord.Kind.VIDEO || !record.keyframe() || record.sequenceHeader()) {
                        publish.send(record, done);
                        return;
                    }
                    long[] times = {System.currentTimeMillis(), 0};
                    if (firstKeyframeMs == 0) firstKeyframeMs = times[0];
                    keyframes.put(record.timestampMs(), times);
                    publish.send(record, (bytes, error) -> {
                        times[1] = System.currentTimeMillis();
                        done.completed(bytes, error);
                    });
                };
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }

    /**
     * For segment {@code sequence} of {@code rendition}: {edge took its closing keyframe, Kafka acknowledged it, its
     * record arrived on live.media} in wall ms, or null if a tap missed it. The closing keyframe is the first one more
     * than half a GOP after the segment's start (its start pts is a keyframe's pts, a frame or two after its dts).
     */
    long[] hops(String rendition, long sequence) {
        long[] segment = segments.getOrDefault(rendition, Map.of()).get(sequence);
        if (segment == null) return null;
        var closing = keyframes.ceilingEntry(segment[0] + 500);
        if (closing == null || closing.getValue()[1] == 0) return null;
        return new long[] {closing.getValue()[0], closing.getValue()[1], segment[1]};
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
