package io.livestream.chat.bus;

import io.livestream.common.chat.ChatEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** HTTP submissions waiting for the chat job's verdict on their message id. */
public final class PendingVerdicts {
    private final ConcurrentHashMap<String, CompletableFuture<ChatEvent>> waiting = new ConcurrentHashMap<>();

    public CompletableFuture<ChatEvent> register(String messageId) {
        CompletableFuture<ChatEvent> f = new CompletableFuture<>();
        waiting.put(messageId, f);
        f.whenComplete((e, t) -> waiting.remove(messageId));
        return f;
    }

    public void offer(ChatEvent event) {
        if (waiting.isEmpty()) return;
        String id = switch (event.type()) {
            case ChatEvent.MESSAGE -> event.message().messageId();
            case ChatEvent.REJECTED -> event.rejected().id();
            default -> null;
        };
        CompletableFuture<ChatEvent> f = id == null ? null : waiting.get(id);
        if (f != null) f.complete(event);
    }
}
