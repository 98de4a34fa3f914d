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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.livestream.common.testing.TestRedis;
import redis.clients.jedis.RedisClient;

/**
 * POST /api/chat/token against a real redis-server: the registry that the origin's {@code POST /api/streams} writes
 * (stream key and broadcaster token stored hashed) decides who gets the broadcaster and moderator roles.
 */
class RedisTokenRolesTest {
    static final String PREFIX = "chat-roles-test:";
    static RedisClient redis;

    final Fakes fakes = new Fakes();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.get().client();
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
