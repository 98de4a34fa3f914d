package io.livestream.devstack.cluster.failover;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import io.livestream.devstack.TopicTails;
import io.livestream.origin.ingest.MediaConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Where a fault's stall went, hop by hop. Two consumers read as the job and the origins do: one tails live.ingest and
 * notes, per video frame of the stream, when the edge sent it (the record's timestamp, the edge's clock) and when it
 * could be read (after acks=all replication: the high watermark); the other tails live.media and notes, per segment
 * of the watched rendition, its sequence number, its timestamp (the job's sink carries on the one of the ingest
 * record that closed the segment) and when it could be read. With the poller's first sight of each sequence number
 * this gives, per segment, the three hops: edge → readable ingest, ingest → readable segment (the job),
 * readable segment → playlist (the origins and the cache).
 */
final class StageGaps implements AutoCloseable {
    /** One watched segment: {@code closedByMs} is the edge time of the ingest frame that closed it. */
    record SegmentSeen(long sequence, long closedByMs, long deliveredMs) {}

    private final byte[] key;
    private final String rendition;
    private final List<SegmentSeen> segments = new CopyOnWriteArrayList<>();
    /** Video frames of the stream: edge send time → when it could be read. */
    private final Map<Long, Long> ingestReadable = new ConcurrentHashMap<>();
    private final List<Tail> tails = new ArrayList<>();
    private final long startedMs = System.currentTimeMillis();

    StageGaps(String bootstrap, String streamId, String rendition) {
        this.key = streamId.getBytes(StandardCharsets.UTF_8);
        this.rendition = rendition;
        tails.add(new Tail(bootstrap, Topics.MEDIA, "stage-gaps-media", r -> {
            MediaRecord m = MediaRecordCodec.fromConsumerRecord(r);
            if (m.type() == MediaRecord.Type.SEGMENT && m.rendition().equals(this.rendition) && m.container() == MediaRecord.Container.TS) {
                segments.add(new SegmentSeen(m.sequence(), r.timestamp(), System.currentTimeMillis()));
            }
        }));
        tails.add(new Tail(bootstrap, Topics.INGEST, "stage-gaps-ingest", r -> {
            IngestRecord in = IngestRecordCodec.fromConsumerRecord(r);
            if (in.kind() == IngestRecord.Kind.VIDEO) ingestReadable.putIfAbsent(r.timestamp(), System.currentTimeMillis());
        }));
    }

    /** A consumer at the end of one topic, on its own thread, handing the stream's records to {@code onRecord}. */
    private final class Tail {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Tail(String bootstrap, String topic, String name, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
            // the origins' own consumer settings (assigned, so the group id commits nothing)
            consumer = new KafkaConsumer<>(MediaConsumer.properties(bootstrap, name));
            TopicTails.assignAtEnd(consumer, topic, Duration.ofSeconds(10));
            thread = new Thread(() -> {
                try {
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (Arrays.equals(r.key(), key)) onRecord.accept(r);
                        }
                    }
                } catch (RuntimeException e) {
                    if (running) System.out.println(name + " stopped: " + e);
                } finally {
                    consumer.close();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After {@code faultMs}: {@code mediaGapMs}, the longest gap in media (edge) time between segments, {@code
     * deliveredGapMs}, the longest wait between readable segments, and the longest of each hop over the segments
     * closed from 2 s before the fault on ({@code ingestHopMaxMs}, {@code jobHopMaxMs}, {@code originHopMaxMs}).
     */
    Map<String, Object> after(long faultMs, Map<Long, Long> playlistFirstSeenMs) {
        List<SegmentSeen> all = new ArrayList<>(segments);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mediaGapMs", longestGap(all.stream().map(SegmentSeen::closedByMs).toList(), faultMs));
        out.put("deliveredGapMs", longestGap(all.stream().map(SegmentSeen::deliveredMs).toList(), faultMs));
        long ingest = -1, job = -1, origin = -1;
        for (Hops h : timeline(faultMs - 2_000, playlistFirstSeenMs)) {
            ingest = Math.max(ingest, h.ingestMs());
            job = Math.max(job, h.jobMs());
            origin = Math.max(origin, h.originMs());
        }
        out.put("ingestHopMaxMs", ingest);
        out.put("jobHopMaxMs", job);
        out.put("originHopMaxMs", origin);
        return out;
    }

    /** One segment's way, times relative to the fault; a hop is -1 where a consumer missed its end. */
    record Hops(long sequence, long closedAtMs, long ingestMs, long jobMs, long originMs) {}

    /** Per segment closed at or after {@code fromMs}: how long each hop took. */
    List<Hops> timeline(long fromMs, Map<Long, Long> playlistFirstSeenMs) {
        List<Hops> rows = new ArrayList<>();
        for (SegmentSeen s : segments) {
            if (s.closedByMs() < fromMs) continue;
            Long readable = ingestReadable.get(s.closedByMs());
            Long listed = playlistFirstSeenMs.get(s.sequence());
            rows.add(new Hops(s.sequence(), s.closedByMs(), readable == null ? -1 : readable - s.closedByMs(),
                    readable == null ? -1 : s.deliveredMs() - readable, listed == null ? -1 : listed - s.deliveredMs()));
        }
        return rows;
    }

    /** The timeline as text, times in ms relative to {@code faultMs}: kept per trial beside the results. */
    String timelineText(long faultMs, Map<Long, Long> playlistFirstSeenMs) {
        StringBuilder out = new StringBuilder("sequence  closed at (edge)  edge→ingest readable  job  origin+cache\n");
        for (Hops h : timeline(faultMs - 5_000, playlistFirstSeenMs)) {
            out.append(String.format("%8d  %+16d  %20d  %4d  %12d%n", h.sequence(), h.closedAtMs() - faultMs, h.ingestMs(), h.jobMs(), h.originMs()));
        }
        return out.toString();
    }

    private long longestGap(List<Long> unsorted, long faultMs) {
        List<Long> times = new ArrayList<>(unsorted);
        times.sort(Long::compare);
        long previous = Math.max(startedMs, times.stream().filter(t -> t < faultMs).reduce((a, b) -> b).orElse(faultMs));
        long worst = 0;
        for (long t : times) {
            if (t < faultMs) continue;
            worst = Math.max(worst, t - previous);
            previous = t;
        }
        return worst;
    }

    @Override
    public void close() {
        tails.forEach(Tail::close);
    }
}
