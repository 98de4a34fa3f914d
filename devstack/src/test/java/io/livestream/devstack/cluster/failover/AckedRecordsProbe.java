package io.livestream.devstack.cluster.failover;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Proves "no acknowledged record lost" across a broker kill: produces numbered records with the platform's producer
 * settings (acks=all, idempotence) to a topic replicated like the platform's, remembers which the brokers
 * acknowledged, and reads the topic back afterwards.
 */
final class AckedRecordsProbe implements AutoCloseable {
    private final String bootstrap;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long longestAckWaitNanos;

    AckedRecordsProbe(String bootstrap, String topic) throws Exception {
        this.bootstrap = bootstrap;
        this.topic = topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        producer = new KafkaProducer<>(props);
        thread = new Thread(this::run, "acked-records-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** The node id of the KRaft controller leading the quorum now. */
    int activeControllerId() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        }
    }

    private void run() {
        long n = 0;
        while (running) {
            String value = String.valueOf(n++);
            long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, value, value), (metadata, error) -> {
                if (error == null) {
                    acked.add(value);
                    longestAckWaitNanos = Math.max(longestAckWaitNanos, System.nanoTime() - sent);
                }
            });
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The longest a record waited for its acknowledgement so far: the producer's stall. */
    Duration longestAckWait() {
        return Duration.ofNanos(longestAckWaitNanos);
    }

    int ackedCount() {
        return acked.size();
    }

    /** Stops producing and returns the acknowledged records that cannot be read back. */
    Set<String> lostAcknowledged() {
        running = false;
        thread.interrupt();
        producer.flush();
        producer.close();
        Set<String> read = new HashSet<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) read.add(record.value());
            }
        }
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(read);
        return lost;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // its partitions would stay on the brokers for the rest of the run: more leaders to move at every broker kill
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("probe topic " + topic + " not deleted: " + e);
        }
    }
}
