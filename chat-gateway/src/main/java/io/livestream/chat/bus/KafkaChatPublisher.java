package io.livestream.chat.bus;

import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** chat.submitted, chat.moderation and live.viewer-heartbeats, key = stream id, JSON values. */
public final class KafkaChatPublisher implements ChatPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaChatPublisher.class);
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaChatPublisher(String bootstrapServers, String clientId) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                // chat is latency-bound: no waiting for more; under load, what arrives while a request is in flight
                // still goes out as one batch (the stream events' producer and the transcode job do the same)
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all", // a broker failover must not lose a submitted message
                // send() runs on event loops: never wait long for metadata or buffer space
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override public void submit(ChatSubmitted m) { send(Topics.CHAT_SUBMITTED, m.streamId(), Json.toBytes(m)); }

    @Override public void moderate(ChatModeration a) { send(Topics.CHAT_MODERATION, a.streamId(), Json.toBytes(a)); }

    @Override public void heartbeat(ViewerHeartbeat b) { send(Topics.VIEWER_HEARTBEATS, b.streamId(), Json.toBytes(b)); }

    private void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
            if (e != null) LOG.warn("failed to send to {}: {}", topic, e.toString());
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
