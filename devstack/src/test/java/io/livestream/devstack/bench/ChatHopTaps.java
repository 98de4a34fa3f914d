package io.livestream.devstack.bench;

import io.livestream.common.kafka.Topics;
import io.livestream.devstack.TopicTails;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/**
 * Where a chat message is on its way, seen from outside the gateway and the job: a Kafka consumer on
 * {@code chat.submitted} (the gateway's producer and the broker are behind it) and a Redis subscriber on the room's
 * channel (the chat job too), each handing the text of every record on its own thread. Both sit beside the real
 * readers, so each hop's share is the difference of two arrival times of the same message. A Kafka record also
 * carries its producer's send time (epoch ms): when the gateway's socket handler took the message.
 */
final class ChatHopTaps implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RedisClient redis;
    private final JedisPubSub pubSub;
    private volatile boolean running = true;

    ChatHopTaps(String bootstrapServers, String redisUri, String roomChannel, BiConsumer<String, Long> atKafka, Consumer<String> atRedis)
            throws InterruptedException {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // as the job's source reads it: answered as soon as a record is there
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicTails.assignAtEnd(consumer, Topics.CHAT_SUBMITTED, Duration.ofMinutes(1)); // the end is fixed now, before any step sends
        Thread kafka = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        atKafka.accept(new String(r.value(), StandardCharsets.UTF_8), r.timestamp());
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }, "tap-kafka");
        kafka.setDaemon(true);
        kafka.start();

        redis = RedisClient.create(URI.create(redisUri));
        java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
        pubSub = new JedisPubSub() {
            @Override public void onSubscribe(String channel, int count) { subscribed.countDown(); }

            @Override public void onMessage(String channel, String message) { atRedis.accept(message); }
        };
        Thread sub = new Thread(() -> {
            try {
                redis.subscribe(pubSub, roomChannel);
            } catch (RuntimeException e) {
                if (running) e.printStackTrace();
            }
        }, "tap-redis");
        sub.setDaemon(true);
        sub.start();
        subscribed.await();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (pubSub.isSubscribed()) pubSub.unsubscribe();
        redis.close();
    }
}
