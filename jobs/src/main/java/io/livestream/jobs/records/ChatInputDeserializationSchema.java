package io.livestream.jobs.records;

import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads chat.submitted, chat.moderation and live.stream-events into {@link ChatInput}; the topic says which. */
public final class ChatInputDeserializationSchema implements KafkaRecordDeserializationSchema<ChatInput> {
    private static final Logger LOG = LoggerFactory.getLogger(ChatInputDeserializationSchema.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ChatInput> out) {
        if (record.value() == null) return;
        try {
            ChatInput input = switch (record.topic()) {
                case Topics.CHAT_SUBMITTED -> ChatInput.of(Json.fromBytes(record.value(), ChatSubmitted.class));
                case Topics.CHAT_MODERATION -> ChatInput.of(Json.fromBytes(record.value(), ChatModeration.class));
                default -> ChatInput.of(Json.fromBytes(record.value(), StreamEvent.class));
            };
            if (input.streamId() != null) out.collect(input);
        } catch (RuntimeException e) {
            // a malformed record must not stop chat for everyone: skip it
            LOG.warn("skipping malformed record on {} at offset {}: {}", record.topic(), record.offset(), e.toString());
        }
    }

    @Override
    public TypeInformation<ChatInput> getProducedType() {
        return TypeInformation.of(ChatInput.class);
    }
}
