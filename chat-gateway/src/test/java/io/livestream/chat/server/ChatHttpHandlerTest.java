package io.livestream.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.Fakes;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP routes through EmbeddedChannel, with the same-thread executor of {@link Fakes}. */
class ChatHttpHandlerTest {
    final Fakes fakes = new Fakes();

    record Answer(int status, JsonNode body, String retryAfter, HttpHeaders headers) {}

    Answer call(HttpMethod method, String uri, Object body, String bearer) throws Exception {
        return call(new ChatHttpHandler(fakes.services()), method, uri, body, bearer, Map.of());
    }

    /** One request through a fresh channel; also used by {@link RedisTokenRolesTest} with real role lookups. */
    static Answer call(ChatHttpHandler handler, HttpMethod method, String uri, Object body, String bearer,
                       Map<String, String> headers) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        byte[] bytes = body == null ? new byte[0] : Json.toBytes(body);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.wrappedBuffer(bytes));
        req.headers().set(HttpHeaderNames.USER_AGENT, "test-agent");
        headers.forEach(req.headers()::set);
        if (bearer != null) req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer);
        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();
        try {
            String content = res.content().toString(StandardCharsets.UTF_8);
            return new Answer(res.status().code(), content.isEmpty() ? null : Json.MAPPER.readTree(content),
                    res.headers().get(HttpHeaderNames.RETRY_AFTER), res.headers().copy());
        } finally {
            res.release();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void corsPreflightIsAnswered204AndEveryResponseAllowsOtherOrigins() throws Exception {
        // what a browser sends before the watch page on :8080 POSTs JSON with a bearer token to :8090
        Answer preflight = call(new ChatHttpHandler(fakes.services()), HttpMethod.OPTIONS, "/api/streams/s1/chat", null, null,
                Map.of("Origin", "http://localhost:8080", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.body()).isNull();
        assertThat(preflight.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(preflight.headers().get("Access-Control-Allow-Methods")).isEqualTo("GET, POST, OPTIONS");
        assertThat(preflight.headers().get("Access-Control-Allow-Headers")).isEqualTo("Authorization, Content-Type");
        assertThat(preflight.headers().get("Access-Control-Max-Age")).isEqualTo("86400");
        assertThat(call(HttpMethod.OPTIONS, "/api/chat/token", null, null).status()).isEqualTo(204);

        Answer health = call(new ChatHttpHandler(fakes.services()), HttpMethod.GET, "/health", null, null,
                Map.of("Origin", "http://localhost:8080"));
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
        fakes.publisher.onSubmit = s -> fakes.verdicts.offer(ChatEvent.rejected(ChatRejected.of(s.streamId(), s.messageId(), s.user(),
                ChatRejected.SLOW_MODE, "slow mode: wait 3 s", 3, s.receivedAt(), s.origin())));
        Answer slow = call(HttpMethod.POST, "/api/streams/s1/chat", Map.of("text", "hi", "username", "ann"), null);
        assertThat(slow.status()).isEqualTo(429);
        assertThat(slow.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(slow.headers().get("Access-Control-Expose-Headers")).isEqualToIgnoringCase("Retry-After");
        assertThat(call(HttpMethod.GET, "/api/nothing", null, null).headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void theBroadcasterTokenFromStreamCreationGrantsTheBroadcasterRole() throws Exception {
        fakes.roles.broadcasterTokens.put("bt-s1", "s1");
        Answer bc = call(HttpMethod.POST, "/api/chat/token", Map.of("username", "cat", "streamId", "s1", "broadcasterToken", "bt-s1"), null);
        assertThat(bc.status()).isEqualTo(200);
        assertThat(bc.body().path("role").asText()).isEqualTo("broadcaster");
        assertThat(bc.body().path("streamId").asText()).isEqualTo("s1");
        assertThat(fakes.tokens.verify(bc.body().path("token").asText()).orElseThrow().roleIn("s1")).isEqualTo(ChatRole.BROADCASTER);

        assertThat(call(HttpMethod.POST, "/api/chat/token", Map.of("username", "cat", "streamId", "s2", "broadcasterToken", "bt-s1"), null)
                .status()).as("another stream's token").isEqualTo(403);
        assertThat(call(HttpMethod.POST, "/api/chat/token", Map.of("username", "cat", "broadcasterToken", "bt-s1"), null)
                .status()).as("no stream named").isEqualTo(400);
    }

    @Test
    void tokensForViewersModeratorsAndTheBroadcasterByStreamKey() throws Exception {
        fakes.roles.keys.put("secret-key", "s1");
        fakes.roles.moderators.put("mo", "s1");
        Answer viewer = call(HttpMethod.POST, "/api/chat/token", Map.of("username", "ann"), null);
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.body().path("role").asText()).isEqualTo("viewer");
        assertThat(fakes.tokens.verify(viewer.body().path("token").asText()).orElseThrow().user()).isEqualTo("ann");

        Answer mod = call(HttpMethod.POST, "/api/chat/token", Map.of("username", "mo", "streamId", "s1"), null);
        assertThat(fakes.tokens.verify(mod.body().path("token").asText()).orElseThrow().roleIn("s1")).isEqualTo(ChatRole.MODERATOR);

        Answer bc = call(HttpMethod.POST, "/api/chat/token", Map.of("username", "cat", "streamKey", "secret-key"), null);
        assertThat(bc.body().path("role").asText()).isEqualTo("broadcaster");
        assertThat(bc.body().path("streamId").asText()).isEqualTo("s1");

        assertThat(call(HttpMethod.POST, "/api/chat/token", Map.of("username", "cat", "streamKey", "wrong"), null).status()).isEqualTo(403);
        assertThat(call(HttpMethod.POST, "/api/chat/token", Map.of("username", "bad name"), null).status()).isEqualTo(400);
    }

    @Test
    void postedChatWaitsForTheVerdict201Or429WithRetryAfter() throws Exception {
        String token = fakes.tokens.issue("ann", ChatRole.VIEWER, null, 60);
        fakes.publisher.onSubmit = s -> fakes.verdicts.offer(ChatEvent.message(ChatAccepted.of(s, 1.5)));
        Answer ok = call(HttpMethod.POST, "/api/streams/s1/chat", Map.of("text", "hello"), token);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().path("streamTime").asDouble()).isEqualTo(1.5);
        assertThat(fakes.publisher.submitted.get(0).origin()).isEqualTo(fakes.config.gatewayId() + "/http");

        fakes.publisher.onSubmit = s -> fakes.verdicts.offer(ChatEvent.rejected(ChatRejected.of(s.streamId(), s.messageId(), s.user(),
                ChatRejected.SLOW_MODE, "slow mode: wait 2 s", 2, s.receivedAt(), s.origin())));
        Answer slow = call(HttpMethod.POST, "/api/streams/s1/chat", Map.of("message", "again", "username", "guest1"), null);
        assertThat(slow.status()).isEqualTo(429);
        assertThat(slow.retryAfter()).isEqualTo("2");
        assertThat(slow.body().path("error").asText()).isEqualTo("slow_mode");
        assertThat(fakes.publisher.submitted.get(1).user()).isEqualTo("guest1");

        assertThat(call(HttpMethod.POST, "/api/streams/s1/chat", Map.of("text", "x".repeat(501)), token).status()).isEqualTo(400);
        assertThat(call(HttpMethod.POST, "/api/streams/s1/chat", Map.of("text", "no identity"), null).status()).isEqualTo(401);
    }

    @Test
    void historyViewersAndHeartbeats() throws Exception {
        for (int i = 0; i < 60; i++) fakes.store.history.add(new ChatAccepted(1, "s1", "m" + i, "ann", "viewer", "t" + i, i, null));
        Answer history = call(HttpMethod.GET, "/api/streams/s1/chat?limit=5", null, null);
        assertThat(history.body().path("messages")).extracting(n -> n.path("messageId").asText())
                .containsExactly("m55", "m56", "m57", "m58", "m59");
        assertThat(call(HttpMethod.GET, "/api/streams/s1/chat", null, null).body().path("messages").size()).isEqualTo(50);

        fakes.store.viewers.putAll(Map.of("count", "42", "peak", "50", "updatedAt", "123", "byRendition", "{\"720p\":40}"));
        JsonNode viewers = call(HttpMethod.GET, "/api/streams/s1/viewers", null, null).body();
        assertThat(viewers.path("count").asLong()).as("the origin's name for it").isEqualTo(42);
        assertThat(viewers.has("viewers")).isFalse();
        assertThat(viewers.path("peak").asLong()).isEqualTo(50);
        assertThat(viewers.path("byRendition").path("720p").asLong()).isEqualTo(40);

        assertThat(call(HttpMethod.POST, "/api/streams/s1/heartbeat", Map.of("vsid", "abc123", "rendition", "720p"), null).status()).isEqualTo(202);
        call(HttpMethod.POST, "/api/streams/s1/heartbeat", null, null);
        assertThat(fakes.publisher.heartbeats).extracting(b -> b.viewerId()).first().isEqualTo("abc123");
        assertThat(fakes.publisher.heartbeats.get(1).viewerId()).startsWith("ip-");
        assertThat(fakes.publisher.heartbeats.get(1).source()).isEqualTo("player");

        assertThat(call(HttpMethod.GET, "/api/nothing", null, null).status()).isEqualTo(404);
    }

    @Test
    void aFullBlockingExecutorAnswers503WithRetryAfterAndBadJsonIs400() throws Exception {
        Fakes.Store store = fakes.store;
        ChatServices full = new ChatServices(fakes.config, fakes.rooms, fakes.tokens, fakes.roles, fakes.publisher, store,
                fakes.verdicts, work -> { throw new java.util.concurrent.RejectedExecutionException("full"); }, fakes.clock);
        Answer refused = call(new ChatHttpHandler(full), HttpMethod.GET, "/api/streams/s1/chat", null, null, Map.of());
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.retryAfter()).isEqualTo("1");
        assertThat(refused.body().path("error").asText()).contains("overloaded");

        EmbeddedChannel ch = new EmbeddedChannel(new ChatHttpHandler(fakes.services()));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/chat/token",
                Unpooled.copiedBuffer("{\"username\":", StandardCharsets.UTF_8)));
        FullHttpResponse bad = ch.readOutbound();
        assertThat(bad.status().code()).isEqualTo(400);
        assertThat(bad.content().toString(StandardCharsets.UTF_8)).contains("body is not valid JSON");
        bad.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
