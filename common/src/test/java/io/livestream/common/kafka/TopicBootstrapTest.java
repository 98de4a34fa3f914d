package io.livestream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicBootstrapTest {
    @Test
    void createsOnlyTheMissingTopicsWithTheirConfigsAndTheGivenReplicationFactor() {
        List<NewTopic> topics = TopicBootstrap.newTopics(Topics.all(6), Set.of(Topics.INGEST), Optional.of((short) 3));

        assertThat(topics).extracting(NewTopic::name).hasSize(Topics.all(6).size() - 1).doesNotContain(Topics.INGEST);
        NewTopic media = topics.stream().filter(t -> t.name().equals(Topics.MEDIA)).findFirst().orElseThrow();
        assertThat(media.replicationFactor()).isEqualTo((short) 3);
        assertThat(media.numPartitions()).isEqualTo(6);
        assertThat(media.configs()).containsEntry("max.message.bytes", String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
    }

    @Test
    void withoutAReplicationFactorLeavesItToTheBroker() {
        // NewTopic reports -1 for "the broker's default.replication.factor"
        assertThat(TopicBootstrap.newTopics(Topics.all(1), Set.of(), Optional.empty()))
                .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) -1));
    }
}
