package io.livestream.origin.ingest;

import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import io.livestream.common.time.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class MediaConsumerTest {
    private static final TopicPartition P0 = new TopicPartition(Topics.MEDIA, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.MEDIA, 1);
    private static final long NOW = 1_795_000_000_000L;

    /** MockConsumer has no offsetsForTimes: partition 0 has a record 2 minutes back at offset 40, partition 1 none. */
    private static final class TimedMockConsumer extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> asked = new HashMap<>();

        TimedMockConsumer() { super("earliest"); }

        @Override
        public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> query) {
            asked.putAll(query);
            Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
            query.forEach((tp, ts) -> found.put(tp, tp.equals(P0) ? new OffsetAndTimestamp(40, ts + 5) : null));
            return found;
        }
    }

    private final TimedMockConsumer kafka = new TimedMockConsumer();
    private final List<MediaRecord> received = new CopyOnWriteArrayList<>();

    @Test
    void decodesEachRecordAndSkipsUndecodableOnes() {
        kafka.assign(List.of(P0));
        kafka.updateBeginningOffsets(Map.of(P0, 0L));
        kafka.addRecord(record(0, segment("s1", "a", "720p", 0, 2.0, 10)));
        kafka.addRecord(new ConsumerRecord<>(Topics.MEDIA, 0, 1, "s1".getBytes(StandardCharsets.UTF_8), new byte[3])); // no headers
        kafka.addRecord(record(2, segment("s1", "a", "720p", 1, 2.0, 10)));
        MediaConsumer consumer = new MediaConsumer(kafka, Topics.MEDIA, received::add, Duration.ofMinutes(2), new FakeClock(NOW));

        assertThat(consumer.pollOnce(Duration.ZERO)).isEqualTo(3);
        assertThat(received).extracting(MediaRecord::sequence).containsExactly(0L, 1L);
        assertThat(received.get(0).payload()).hasSize(10);
        assertThat(received.get(0).rendition()).isEqualTo("720p");
    }

    @Test
    void assignmentRewindsByTheLookbackOrStartsAtTheEnd() {
        kafka.assign(List.of(P0, P1));
        kafka.updateEndOffsets(Map.of(P0, 100L, P1, 7L));
        new LookbackSeek(kafka, Duration.ofMinutes(2), new FakeClock(NOW)).apply(List.of(P0, P1));

        assertThat(kafka.asked).containsOnly(Map.entry(P0, NOW - 120_000), Map.entry(P1, NOW - 120_000));
        assertThat(kafka.position(P0)).isEqualTo(40);
        assertThat(kafka.position(P1)).isEqualTo(7);
    }

    @Test
    void theLookbackIsReadOnceEveryPartitionReachedItsEndAtTheAssignmentAndThenItsLatestEnd() {
        kafka.assign(List.of(P0, P1));
        kafka.updateEndOffsets(Map.of(P0, 100L, P1, 7L));
        LookbackCatchUp catchUp = new LookbackCatchUp();
        new LookbackSeek(kafka, Duration.ofMinutes(2), new FakeClock(NOW), catchUp).apply(List.of(P0, P1));

        Map<TopicPartition, Long> positions = new HashMap<>(Map.of(P0, 40L, P1, 7L));
        assertThat(catchUp.targetsReachedBy(positions::get)).isFalse();
        positions.put(P0, 99L);
        assertThat(catchUp.targetsReachedBy(positions::get)).isFalse();
        positions.put(P0, 100L);
        assertThat(catchUp.targetsReachedBy(positions::get)).isTrue();
        // the look-back took a while: 30 more records arrived on P0 meanwhile, and what was read last is old
        assertThat(catchUp.confirm(Map.of(P0, 130L, P1, 7L), positions::get, p -> false)).isFalse();
        assertThat(catchUp.caughtUp()).isFalse();
        assertThat(catchUp.targetsReachedBy(positions::get)).isFalse();
        positions.put(P0, 129L);
        assertThat(catchUp.targetsReachedBy(positions::get)).isFalse();
        positions.put(P0, 130L);
        assertThat(catchUp.targetsReachedBy(positions::get)).isTrue();
        // one record short of the latest end, but what was read last was produced a moment ago: the live edge
        assertThat(catchUp.confirm(Map.of(P0, 131L, P1, 7L), positions::get, p -> p.equals(P0))).as("caught up: once").isTrue();
        assertThat(catchUp.caughtUp()).isTrue();
        assertThat(catchUp.confirm(Map.of(P0, 131L, P1, 7L), positions::get, p -> true)).isFalse();
        catchUp.expect(Map.of(P0, 500L)); // a partition added to the topic later does not take a running origin off the air
        assertThat(catchUp.caughtUp()).isTrue();
    }

    @Test
    void beforeAnyAssignmentNothingIsCaughtUp() {
        assertThat(new LookbackCatchUp().targetsReachedBy(tp -> Long.MAX_VALUE)).isFalse();
    }

    @Test
    void pollingThreadAssignsItselfEveryPartitionWithoutAGroupAndFeedsTheListenerUntilClosed() {
        MediaConsumer consumer = new MediaConsumer(kafka, Topics.MEDIA, received::add, Duration.ofMinutes(2), new FakeClock(NOW));
        kafka.updatePartitions(Topics.MEDIA, List.of(partition(0), partition(1)));
        kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        kafka.updateEndOffsets(Map.of(P0, 41L, P1, 7L));
        kafka.schedulePollTask(() -> kafka.addRecord(record(40, segment("s1", "a", "720p", 9, 2.0, 10))));
        consumer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(kafka.subscription()).as("no consumer group: nothing to wait for after a restart").isEmpty();
        assertThat(kafka.assignment()).containsExactlyInAnyOrder(P0, P1);
        consumer.close();
        assertThat(kafka.closed()).isTrue();
        assertThat(received.get(0).sequence()).isEqualTo(9);
    }

    @Test
    void aPartitionAddedToTheTopicIsReadFromItsLookbackWhileTheOthersGoOn() {
        FakeClock clock = new FakeClock(NOW);
        MediaConsumer consumer = new MediaConsumer(kafka, Topics.MEDIA, received::add, Duration.ofMinutes(2), clock);
        kafka.updatePartitions(Topics.MEDIA, List.of(partition(0)));
        kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        kafka.updateEndOffsets(Map.of(P0, 41L, P1, 7L));
        consumer.pollOnce(Duration.ZERO);
        assertThat(kafka.assignment()).containsExactly(P0);
        assertThat(kafka.position(P0)).isEqualTo(40);
        kafka.updatePartitions(Topics.MEDIA, List.of(partition(0), partition(1)));
        consumer.pollOnce(Duration.ZERO);
        assertThat(kafka.assignment()).as("listed again only every 30 s").containsExactly(P0);
        clock.advance(MediaConsumer.PARTITION_CHECK_MS);
        consumer.pollOnce(Duration.ZERO);
        assertThat(kafka.assignment()).containsExactlyInAnyOrder(P0, P1);
        assertThat(kafka.position(P0)).as("not rewound").isEqualTo(40);
        assertThat(kafka.position(P1)).as("nothing in its look-back: its end").isEqualTo(7);
    }

    private static org.apache.kafka.common.PartitionInfo partition(int n) {
        return new org.apache.kafka.common.PartitionInfo(Topics.MEDIA, n, null, new org.apache.kafka.common.Node[0], new org.apache.kafka.common.Node[0]);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, MediaRecord media) {
        RecordHeaders headers = MediaRecordCodec.headersOf(media);
        byte[] key = media.streamId().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(Topics.MEDIA, 0, offset, NOW, TimestampType.CREATE_TIME, key.length,
                media.payload().length, key, media.payload(), headers, Optional.empty());
    }
}
