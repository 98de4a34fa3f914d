package io.livestream.chat.bus;

import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatSubmitted;

/** Where the gateway sends what clients submit (Kafka in production). Must not block for long: it runs on event loops. */
public interface ChatPublisher extends AutoCloseable {
    void submit(ChatSubmitted message);

    void moderate(ChatModeration action);

    void heartbeat(ViewerHeartbeat beat);

    @Override
    default void close() {}
}
