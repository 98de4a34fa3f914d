package io.livestream.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.audience.ViewerCount;
import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The chat and audience jobs' Kafka (de)serialization: topics, keys, JSON, and skipping what cannot be read. */
class ChatAndViewerSchemasTest {
    static <T> List<T> read(org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<T> schema,
                            String topic, byte[] value) throws Exception {
        List<T> out = new ArrayList<>();
        schema.deserialize(new ConsumerRecord<>(topic, 0, 0, "s1".getBytes(StandardCharsets.UTF_8), value), new Collector<>() {
            @Override public void collect(T record) { out.add(record); }
            @Override public void close() { }
        });
        return out;
    }

    @Test
    void chatInputsAreTypedByTopicAndGarbageIsSkipped() throws Exception {
        ChatInputDeserializationSchema schema = new ChatInputDeserializationSchema();
        ChatSubmitted s = ChatSubmitted.of("s1", "m1", "ann", ChatRole.VIEWER, "hi", 5, "gw/1");
        assertThat(read(schema, Topics.CHAT_SUBMITTED, Json.toBytes(s))).extracting(ChatInput::submitted).containsExactly(s);
        StreamEvent e = StreamEvent.of(StreamEvent.LIVE, "s1", "x", 7, null);
        assertThat(read(schema, Topics.STREAM_EVENTS, Json.toBytes(e))).extracting(ChatInput::event).containsExactly(e);
        assertThat(read(schema, Topics.CHAT_SUBMITTED, "{not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void verdictsGoToAcceptedOrRejectedKeyedByStream() {
        ChatEventSerializationSchema schema = new ChatEventSerializationSchema();
        ChatAccepted a = new ChatAccepted(1, "s1", "m1", "ann", "viewer", "hi", 5, 1.5);
        ProducerRecord<byte[], byte[]> accepted = schema.serialize(ChatEvent.message(a), null, 9L);
        assertThat(accepted.topic()).isEqualTo(Topics.CHAT_ACCEPTED);
        assertThat(new String(accepted.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
        assertThat(Json.fromBytes(accepted.value(), ChatAccepted.class)).isEqualTo(a);
        ChatRejected r = ChatRejected.of("s1", "m2", "ann", ChatRejected.SLOW_MODE, "wait", 2, 6, "gw/1");
        ProducerRecord<byte[], byte[]> rejected = schema.serialize(ChatEvent.rejected(r), null, 9L);
        assertThat(rejected.topic()).isEqualTo(Topics.CHAT_REJECTED);
        assertThat(Json.fromBytes(rejected.value(), ChatRejected.class)).isEqualTo(r);
    }

    @Test
    void heartbeatsInCountsOut() throws Exception {
        ViewerHeartbeatDeserializationSchema in = new ViewerHeartbeatDeserializationSchema();
        ViewerHeartbeat b = ViewerHeartbeat.of("s1", "v1", "720p", 5, "origin");
        assertThat(read(in, Topics.VIEWER_HEARTBEATS, Json.toBytes(b))).containsExactly(b);
        assertThat(read(in, Topics.VIEWER_HEARTBEATS, "{\"streamId\":\"s1\",\"at\":5}".getBytes(StandardCharsets.UTF_8)))
                .as("no viewer id").isEmpty();
        ViewerCount c = ViewerCount.of("s1", 0, 30_000, 3, true, Map.of("720p", 2L));
        ProducerRecord<byte[], byte[]> out = new ViewerCountSerializationSchema().serialize(c, null, 1L);
        assertThat(out.topic()).isEqualTo(Topics.VIEWER_COUNTS);
        assertThat(Json.fromBytes(out.value(), ViewerCount.class)).isEqualTo(c);
    }
}
