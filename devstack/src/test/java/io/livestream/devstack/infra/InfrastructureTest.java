package io.livestream.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.TopicBootstrap;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.devstack.SharedInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class InfrastructureTest {
    private final SharedInfra infra = SharedInfra.get();

    @Test
    void everyTopicExistsWithItsConfigs() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(Topics.all(1).stream().map(Topics.TopicSpec::name).toList());

            ConfigResource media = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MEDIA);
            Config config = admin.describeConfigs(List.of(media)).all().get().get(media);
            assertThat(config.get("max.message.bytes").value()).isEqualTo(String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
            assertThat(admin.describeTopics(List.of(Topics.MEDIA)).allTopicNames().get().get(Topics.MEDIA).partitions())
                    .hasSize(InfraConfig.DEFAULT_PARTITIONS);
        }
    }

    @Test
    void topicBootstrapIsIdempotent() {
        assertThat(TopicBootstrap.ensureTopics(infra.bootstrapServers(), 2, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void registryTransitionsReachKafkaAsJsonKeyedByStreamId() {
        StreamRegistry registry = infra.newRegistry();
        String id = registry.create("kafka events", "carol", null).stream().id();
        String session = registry.goLive(id).orElseThrow();
        registry.end(id, session, "unpublish");

        List<StreamEvent> events = new ArrayList<>();
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.STREAM_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (events.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!id.equals(record.key())) continue;
                    events.add(Json.fromBytes(record.value(), StreamEvent.class));
                }
            }
        }
        assertThat(events).extracting(StreamEvent::type)
                .containsExactly(StreamEvent.CREATED, StreamEvent.LIVE, StreamEvent.ENDED);
        assertThat(events).allSatisfy(e -> assertThat(e.streamId()).isEqualTo(id));
        assertThat(events.get(2).sessionId()).isEqualTo(session);
        assertThat(events.get(2).reason()).isEqualTo("unpublish");
    }
}
