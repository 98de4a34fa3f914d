package io.livestream.jobs.records;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Accepted messages to chat.accepted and refusals to chat.rejected (moderation events are filtered out before). */
public final class ChatEventSerializationSchema implements KafkaRecordSerializationSchema<ChatEvent> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(ChatEvent event, KafkaSinkContext context, Long timestamp) {
        byte[] key = event.streamId().getBytes(StandardCharsets.UTF_8);
        return switch (event.type()) {
            case ChatEvent.MESSAGE -> new ProducerRecord<>(Topics.CHAT_ACCEPTED, null, timestamp, key, Json.toBytes(event.message()));
            case ChatEvent.REJECTED -> new ProducerRecord<>(Topics.CHAT_REJECTED, null, timestamp, key, Json.toBytes(event.rejected()));
            default -> throw new IllegalArgumentException("not an analytics event: " + event.type());
        };
    }
}
