package io.livestream.devstack.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A chat WebSocket client for tests and load: assembles text frames split over several WebSocket messages, parses
 * each as JSON and hands it on (by default it keeps every frame), and knows when and how its socket closed.
 */
public final class ChatSocketClient implements WebSocket.Listener {
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Consumer<JsonNode> onFrame;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile Integer closeCode;
    private volatile String closeReason;

    /** A client that keeps every frame it receives. */
    public ChatSocketClient() {
        this.onFrame = received::add;
    }

    /** A client that keeps no frame but hands each to {@code onFrame} (a long run must not hold them all). */
    public ChatSocketClient(Consumer<JsonNode> onFrame) {
        this.onFrame = onFrame;
    }

    /** Connects a client that keeps every frame, and waits for the gateway's welcome. */
    public static ChatSocketClient connect(HttpClient http, String url, Duration timeout) throws Exception {
        ChatSocketClient client = new ChatSocketClient();
        client.open(http, url, timeout);
        client.await(f -> isType(f, "welcome"), timeout);
        return client;
    }

    /** Opens the socket (without waiting for a frame). */
    public ChatSocketClient open(HttpClient http, String url, Duration timeout) throws Exception {
        socket = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                onFrame.accept(Json.MAPPER.readTree(text));
            } catch (IOException e) {
                // the gateway only sends JSON: a frame that is not is dropped, and a test waiting for it fails
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReason = reason;
        closeCode = statusCode;
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        if (closeCode == null) closeCode = -1;
    }

    public boolean closed() {
        return closeCode != null;
    }

    /** The close code the server sent, -1 for a connection error, null while open. */
    public Integer closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    public List<JsonNode> frames() {
        return List.copyOf(received);
    }

    public void send(Object frame) throws Exception {
        socket.sendText(Json.toString(frame), true).get(5, TimeUnit.SECONDS);
    }

    /** Sends a chat message frame. */
    public void sendMessage(String text) throws Exception {
        send(Map.of("type", "send", "text", text));
    }

    /** Sends, ignoring a failure (the server may have cut the socket, as it does a flooder). */
    public void trySend(Object frame) {
        try {
            send(frame);
        } catch (Exception e) {
            // expected when the server closed the socket
        }
    }

    /** The first frame received that matches, waiting for it up to {@code atMost}. */
    public JsonNode await(Predicate<JsonNode> match, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> received.stream().anyMatch(match));
        return received.stream().filter(match).findFirst().orElseThrow();
    }

    /** The first chat message with this text, waiting for it up to {@code atMost}. */
    public JsonNode awaitMessage(String text, Duration atMost) {
        return await(f -> isMessage(f, text), atMost);
    }

    public void abort() {
        if (socket != null) socket.abort();
    }

    public static boolean isType(JsonNode frame, String type) {
        return frame.path("type").asText().equals(type);
    }

    public static boolean isMessage(JsonNode frame, String text) {
        return isType(frame, "message") && frame.path("message").path("text").asText().equals(text);
    }
}
