package io.livestream.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.chat.Fakes;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.chat.auth.RedisRoleLookup;
import io.livestream.chat.server.ChatHttpHandlerTest.Answer;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.InMemoryStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * POST /api/chat/token against a real redis-server: the registry that the origin's {@code POST /api/streams} writes
 * (stream key and broadcaster token stored hashed) decides who gets the broadcaster and moderator roles.
 */
class RedisTokenRolesTest {
    static final String PREFIX = "chat-roles-test:";
    static RedisServer server;
    static RedisClient redis;

    final Fakes fakes = new Fakes();

    @BeforeAll
    static void startRedis() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        redis = RedisClient.create("127.0.0.1", port);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) redis.close();
        if (server != null) server.stop();
    }

    Answer token(Map<String, String> body) throws Exception {
        ChatServices real = new ChatServices(fakes.config, fakes.rooms, fakes.tokens, new RedisRoleLookup(redis, PREFIX),
                fakes.publisher, fakes.store, fakes.verdicts, Runnable::run, fakes.clock);
        return ChatHttpHandlerTest.call(new ChatHttpHandler(real), HttpMethod.POST, "/api/chat/token", body, null, Map.of());
    }

    @Test
    void broadcasterTokenStreamKeyAndModeratorSetGrantRolesInTheirStreamOnly() throws Exception {
        StreamRegistry registry = new StreamRegistry(redis, new InMemoryStreamEventPublisher(), Clock.SYSTEM, PREFIX);
        CreatedStream mine = registry.create("mine", "cat", null);
        CreatedStream other = registry.create("other", "dog", null);
        String id = mine.stream().id();
        String broadcasterToken = registry.issueBroadcasterToken(id);
        String otherToken = registry.issueBroadcasterToken(other.stream().id());

        Answer bc = token(Map.of("username", "cat", "streamId", id, "broadcasterToken", broadcasterToken));
        assertThat(bc.status()).isEqualTo(200);
        assertThat(bc.body().path("role").asText()).isEqualTo("broadcaster");
        assertThat(bc.body().path("streamId").asText()).isEqualTo(id);
        ChatTokens tokens = fakes.tokens;
        assertThat(tokens.verify(bc.body().path("token").asText()).orElseThrow().roleIn(id)).isEqualTo(ChatRole.BROADCASTER);
        assertThat(tokens.verify(bc.body().path("token").asText()).orElseThrow().roleIn(other.stream().id())).isEqualTo(ChatRole.VIEWER);

        assertThat(token(Map.of("username", "cat", "streamId", id, "broadcasterToken", otherToken)).status())
                .as("another stream's broadcaster token").isEqualTo(403);
        assertThat(token(Map.of("username", "cat", "streamId", id, "broadcasterToken", "made-up")).status()).isEqualTo(403);

        // a new token replaces the old one
        String reissued = registry.issueBroadcasterToken(id);
        assertThat(token(Map.of("username", "cat", "streamId", id, "broadcasterToken", broadcasterToken)).status()).isEqualTo(403);
        assertThat(token(Map.of("username", "cat", "streamId", id, "broadcasterToken", reissued)).body().path("role").asText())
                .isEqualTo("broadcaster");

        // the stream key path still works
        Answer byKey = token(Map.of("username", "cat", "streamKey", mine.streamKey()));
        assertThat(byKey.body().path("role").asText()).isEqualTo("broadcaster");
        assertThat(byKey.body().path("streamId").asText()).isEqualTo(id);

        redis.sadd(ChatKeys.moderators(PREFIX, id), "mo");
        assertThat(token(Map.of("username", "mo", "streamId", id)).body().path("role").asText()).isEqualTo("moderator");
        assertThat(token(Map.of("username", "mo", "streamId", other.stream().id())).body().path("role").asText()).isEqualTo("viewer");
    }
}
