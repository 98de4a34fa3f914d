package io.livestream.devstack.infra;

import io.livestream.common.kafka.Topics;
import java.util.function.BiConsumer;

/** Broker settings every Kafka server we run on this machine shares: the embedded one and the cluster's three. */
public final class KafkaServerSizing {
    /** Adds the media message limits and the small-machine sizes, in this order, through {@code p}. */
    public static void applyTo(BiConsumer<String, String> p) {
        // media parts and keyframes are large; the media topics also raise max.message.bytes themselves
        p.accept("message.max.bytes", String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
        p.accept("replica.fetch.max.bytes", String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
        // small preallocated indexes and cleaner buffer, few threads on a shared machine
        p.accept("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.accept("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.accept("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.accept("num.network.threads", "2");
        p.accept("num.io.threads", "4");
        p.accept("background.threads", "2");
        p.accept("num.recovery.threads.per.data.dir", "1");
    }

    private KafkaServerSizing() {}
}
