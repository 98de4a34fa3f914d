package io.livestream.common.registry;

import io.livestream.common.events.StreamEvent;

/** Where lifecycle events go: Kafka in the platform, a list in tests. */
public interface StreamEventPublisher extends AutoCloseable {
    void publish(StreamEvent event);

    @Override
    default void close() {}

    /** Drops events, for tools that only read the registry. */
    StreamEventPublisher NONE = event -> {};
}
