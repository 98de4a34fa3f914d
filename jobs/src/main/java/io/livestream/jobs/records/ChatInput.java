package io.livestream.jobs.records;

import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.events.StreamEvent;

/** What the chat job reads, keyed by stream: exactly one of a message, a moderator action or a stream event. */
public record ChatInput(String streamId, ChatSubmitted submitted, ChatModeration moderation, StreamEvent event) {
    public static ChatInput of(ChatSubmitted s) {
        return new ChatInput(s.streamId(), s, null, null);
    }

    public static ChatInput of(ChatModeration m) {
        return new ChatInput(m.streamId(), null, m, null);
    }

    public static ChatInput of(StreamEvent e) {
        return new ChatInput(e.streamId(), null, null, e);
    }
}
