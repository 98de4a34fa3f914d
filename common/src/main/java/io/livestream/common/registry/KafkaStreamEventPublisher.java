package io.livestream.common.registry;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events as JSON to {@link Topics#STREAM_EVENTS}, keyed by stream id so that the events of one
 * stream stay in order on one partition.
 */
public final class KafkaStreamEventPublisher implements StreamEventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamEventPublisher.class);
    private final Producer<String, byte[]> producer;
    private final boolean ownsProducer;

    /** Uses a producer of its own, closed by {@link #close()}. */
    public KafkaStreamEventPublisher(String bootstrapServers) {
        this(new KafkaProducer<>(producerProps(bootstrapServers)), true);
    }

    /** Uses a shared producer, which the caller closes. */
    public KafkaStreamEventPublisher(Producer<String, byte[]> producer) {
        this(producer, false);
    }

    private KafkaStreamEventPublisher(Producer<String, byte[]> producer, boolean ownsProducer) {
        this.producer = producer;
        this.ownsProducer = ownsProducer;
    }

    static Properties producerProps(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "stream-registry");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    @Override
    public void publish(StreamEvent event) {
        producer.send(new ProducerRecord<>(Topics.STREAM_EVENTS, event.streamId(), Json.toBytes(event)),
                (metadata, error) -> {
                    if (error != null) LOG.warn("could not publish {} event of stream {}: {}",
                            event.type(), event.streamId(), error.toString());
                });
    }

    @Override
    public void close() {
        if (ownsProducer) producer.close();
        else producer.flush();
    }
}
