package io.livestream.devstack.cluster.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A chat WebSocket client through the balancer (port 8090) that keeps every frame and knows when its socket closed. */
final class ChatClient implements WebSocket.Listener {
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    volatile boolean closed;

    static ChatClient connect(HttpClient http, String url) throws Exception {
        ChatClient client = new ChatClient();
        client.socket = http.newWebSocketBuilder().buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS);
        client.await(f -> f.path("type").asText().equals("welcome"), Duration.ofSeconds(10));
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(Json.MAPPER.readTree(partial.toString()));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed = true;
    }

    void send(String text) {
        socket.sendText(Json.toString(java.util.Map.of("type", "send", "text", text)), true).join();
    }

    JsonNode await(java.util.function.Predicate<JsonNode> match, Duration timeout) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode f : received) if (match.test(f)) {
                found[0] = f;
                return true;
            }
            return false;
        });
        return found[0];
    }

    boolean hasMessage(String text) {
        return received.stream().anyMatch(f -> f.path("type").asText().equals("message") && f.path("message").path("text").asText().equals(text));
    }

    void abort() {
        if (socket != null) socket.abort();
    }
}
