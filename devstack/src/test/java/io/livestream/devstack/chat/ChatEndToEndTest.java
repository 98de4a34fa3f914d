package io.livestream.devstack.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.ChatGateway;
import io.livestream.chat.ChatGatewayConfig;
import io.livestream.chat.server.ChatWebSocketHandler;
import io.livestream.common.json.Json;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.devstack.SharedInfra;
import io.livestream.jobs.ChatJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chat end to end with real parts: two gateways sharing the real Redis and Kafka of {@link SharedInfra}, the chat
 * job on a Flink MiniCluster, and java.net.http WebSocket clients.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChatEndToEndTest {
    static final String SECRET = "e2e-chat-token-secret-0123456789";
    final HttpClient http = HttpClient.newHttpClient();
    final List<ChatSocketClient> clients = new ArrayList<>();
    SharedInfra infra;
    StreamRegistry registry;
    ChatGateway gw1;
    ChatGateway gw2;
    JobClient job;

    @BeforeEach
    void start() throws Exception {
        infra = SharedInfra.get();
        registry = infra.newRegistry();
        String prefix = registry.keyPrefix();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        ChatJob.fromParams(ParameterTool.fromArgs(new String[] {
                "--bootstrap", infra.bootstrapServers(), "--redis", infra.redisUri(), "--key-prefix", prefix,
                "--group-id", "chat-e2e-" + prefix, "--chat-start-timestamp", String.valueOf(System.currentTimeMillis() - 1_000)}))
                .build(env);
        job = env.executeAsync("chat-e2e");
        ChatGatewayConfig config = ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(), SECRET)
                .withPort(0).withKeyPrefix(prefix);
        gw1 = new ChatGateway(config);
        gw1.start();
        gw2 = new ChatGateway(ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(), SECRET)
                .withPort(0).withKeyPrefix(prefix));
        gw2.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(ChatSocketClient::abort);
        if (gw1 != null) gw1.close();
        if (gw2 != null) gw2.close();
        if (job != null) job.cancel().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoGatewaysDeliverEnforceSlowModeBanHistoryAndCutAFlooder() throws Exception {
        CreatedStream stream = registry.create("chat e2e", "cat", null);
        String id = stream.stream().id();
        String annToken = token(gw1, Map.of("username", "ann"));
        String bobToken = token(gw2, Map.of("username", "bob"));
        String catToken = token(gw1, Map.of("username", "cat", "streamKey", stream.streamKey()));
        String floToken = token(gw2, Map.of("username", "flo"));

        ChatSocketClient ann = connect(gw1, id, annToken);
        ChatSocketClient reader1 = connect(gw1, id, null);
        ChatSocketClient bob = connect(gw2, id, bobToken);
        ChatSocketClient reader2 = connect(gw2, id, null);
        ChatSocketClient cat = connect(gw2, id, catToken);
        List<ChatSocketClient> room = List.of(ann, reader1, bob, reader2, cat);

        // slow mode 10 s, set by the broadcaster; its arrival everywhere also says the job is running
        cat.send(Map.of("type", "moderate", "action", "slow", "seconds", 10));
        for (ChatSocketClient c : room) c.await(f -> isModeration(f, "slow"), Duration.ofSeconds(40));

        // a message reaches every client on both gateways, with its stream time field and the sender's role
        ann.send(Map.of("type", "send", "text", "hello everyone"));
        for (ChatSocketClient c : room) {
            JsonNode m = c.await(f -> isMessage(f, "hello everyone"), Duration.ofSeconds(5));
            assertThat(m.path("message").path("user").asText()).isEqualTo("ann");
            assertThat(m.path("message").path("role").asText()).isEqualTo("viewer");
        }

        // a second message inside slow mode is refused with the seconds left, to the sender only
        ann.send(Map.of("type", "send", "text", "me again"));
        JsonNode slow = ann.await(f -> isError(f, "slow_mode"), Duration.ofSeconds(5));
        assertThat(slow.path("retryAfterSeconds").asInt()).isBetween(1, 10);
        assertThat(reader1.frames()).noneMatch(f -> isError(f, "slow_mode"));

        // a ban takes effect within 1 s: the room hears of it in time, and bob is refused from then on (the ban and
        // bob's message travel on two topics, so only a message sent after the ban took effect is sure to follow it)
        long banAt = System.nanoTime();
        cat.send(Map.of("type", "moderate", "action", "ban", "target", "bob"));
        reader1.await(f -> isModeration(f, "ban"), Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - banAt)).isLessThan(Duration.ofSeconds(1));
        bob.send(Map.of("type", "send", "text", "can I still talk"));
        bob.await(f -> isError(f, "banned"), Duration.ofSeconds(5));
        assertThat(reader2.frames()).noneMatch(f -> isMessage(f, "can I still talk"));

        // a new client gets the history first
        ChatSocketClient late = connect(gw2, id, null);
        JsonNode history = late.await(f -> f.path("type").asText().equals("history"), Duration.ofSeconds(5));
        assertThat(history.path("messages")).extracting(n -> n.path("text").asText()).contains("hello everyone");

        // a flooding client is cut (close 1008) and the others keep receiving
        ChatSocketClient flo = connect(gw2, id, floToken);
        for (int i = 0; i < 40 && !flo.closed(); i++) flo.trySend(Map.of("type", "send", "text", "flood " + i));
        await().atMost(Duration.ofSeconds(5)).until(flo::closed);
        assertThat(flo.closeCode()).isEqualTo(1008);
        assertThat(flo.closeReason()).isEqualTo(ChatWebSocketHandler.FLOODING);
        cat.send(Map.of("type", "send", "text", "still here"));
        for (ChatSocketClient c : List.of(ann, reader1, bob, reader2, cat, late)) c.await(f -> isMessage(f, "still here"), Duration.ofSeconds(5));

        // the reference API reads the same history; a deleted message leaves it and the room is told
        assertThat(history(id)).contains("hello everyone", "still here");
        String helloId = late.await(f -> f.path("type").asText().equals("history"), Duration.ofSeconds(1)).path("messages")
                .findValues("messageId").stream().map(JsonNode::asText).findFirst().orElseThrow();
        cat.send(Map.of("type", "moderate", "action", "delete", "messageId", helloId));
        reader2.await(f -> isModeration(f, "delete") && f.path("messageId").asText().equals(helloId), Duration.ofSeconds(5));
        assertThat(history(id)).doesNotContain("hello everyone").contains("still here");
    }

    List<String> history(String streamId) throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + gw1.port() + "/api/streams/" + streamId + "/chat?limit=10")).build(), HttpResponse.BodyHandlers.ofString());
        List<String> texts = new ArrayList<>();
        Json.MAPPER.readTree(get.body()).path("messages").forEach(n -> texts.add(n.path("text").asText()));
        return texts;
    }

    static boolean isMessage(JsonNode f, String text) {
        return ChatSocketClient.isMessage(f, text);
    }

    static boolean isModeration(JsonNode f, String action) {
        return f.path("type").asText().equals("moderation") && f.path("action").asText().equals(action);
    }

    static boolean isError(JsonNode f, String code) {
        return f.path("type").asText().equals("error") && f.path("code").asText().equals(code);
    }

    String token(ChatGateway gw, Map<String, String> body) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gw.port() + "/api/chat/token"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return Json.MAPPER.readTree(res.body()).path("token").asText();
    }

    ChatSocketClient connect(ChatGateway gw, String streamId, String token) throws Exception {
        String uri = "ws://localhost:" + gw.port() + "/chat/" + streamId + (token == null ? "" : "?token=" + token);
        ChatSocketClient c = ChatSocketClient.connect(http, uri, Duration.ofSeconds(5));
        clients.add(c);
        return c;
    }
}
