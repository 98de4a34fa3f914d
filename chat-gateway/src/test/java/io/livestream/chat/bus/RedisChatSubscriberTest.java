package io.livestream.chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.json.Json;
import io.livestream.common.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Against a real redis-server: a gateway receives the rooms it follows, and only those. */
class RedisChatSubscriberTest {
    static final String PREFIX = "chat-rooms-test:";

    RedisClient redis;
    RedisChatSubscriber subscriber;
    final List<ChatEvent> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.get().client();
        subscriber = new RedisChatSubscriber(TestRedis.get().uri(), PREFIX, "gw-test");
        subscriber.start(received::add);
    }

    @AfterEach
    void stop() {
        subscriber.close();
    }

    static ChatEvent message(String room, String text) {
        return ChatEvent.message(new ChatAccepted(ChatAccepted.SCHEMA_VERSION, room, text, "alice", ChatRole.VIEWER.wire(), text, 0, null));
    }

    void publish(String room, String text) {
        redis.publish(ChatKeys.roomChannel(PREFIX, room), Json.toString(message(room, text)));
    }

    List<String> texts() {
        return received.stream().map(e -> e.message().text()).toList();
    }

    @Test
    void getsTheRoomsItFollowsAndNotTheOthers() throws Exception {
        subscriber.follow("room-a").get(5, TimeUnit.SECONDS);
        publish("room-b", "not for us");
        publish("room-a", "for us");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> texts().contains("for us"));
        Thread.sleep(200);
        assertThat(texts()).containsExactly("for us");
    }

    @Test
    void aRoomIsFollowedUntilItsLastFollowerLeaves() throws Exception {
        subscriber.follow("room-c").get(5, TimeUnit.SECONDS);
        subscriber.follow("room-c").get(5, TimeUnit.SECONDS); // a second socket (or a post) in the same room
        subscriber.unfollow("room-c");
        publish("room-c", "still followed");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> texts().contains("still followed"));
        subscriber.unfollow("room-c");
        assertThat(subscriber.rooms()).isZero();
        // unsubscribed: a marker room published after it proves the earlier message would have arrived by now
        subscriber.follow("room-marker").get(5, TimeUnit.SECONDS);
        publish("room-c", "nobody here");
        publish("room-marker", "marker");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> texts().contains("marker"));
        assertThat(texts()).doesNotContain("nobody here");
    }
}
