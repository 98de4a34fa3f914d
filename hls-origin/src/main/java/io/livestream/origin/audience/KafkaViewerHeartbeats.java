package io.livestream.origin.audience;

import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.audience.ViewerIds;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import io.livestream.common.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A heartbeat on {@code live.viewer-heartbeats} per media playlist request (source "origin"). Fire and forget: a lost
 * heartbeat costs nothing, the player sends another with its next playlist reload.
 */
public final class KafkaViewerHeartbeats implements PlaylistRequestListener, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;

    public KafkaViewerHeartbeats(String bootstrapServers, Clock clock) {
        this.clock = clock;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "origin-heartbeats",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 20, // heartbeats batch well; 20 ms is nothing against a 30 s window
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 500), // never hold an event loop for long
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void onMediaPlaylist(String streamId, String rendition, String vsid, String clientIp, String userAgent) {
        ViewerHeartbeat beat = ViewerHeartbeat.of(streamId, ViewerIds.of(vsid, clientIp, userAgent), rendition, clock.millis(), "origin");
        try {
            producer.send(new ProducerRecord<>(Topics.VIEWER_HEARTBEATS, streamId.getBytes(StandardCharsets.UTF_8), Json.toBytes(beat)));
        } catch (RuntimeException e) {
            // Kafka unreachable: the playlist is served regardless
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
