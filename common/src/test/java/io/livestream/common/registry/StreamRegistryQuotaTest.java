package io.livestream.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.testing.TestRedis;
import io.livestream.common.time.FakeClock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The broadcaster quotas and stream deletion, against a real redis-server (the checks are Lua scripts). */
class StreamRegistryQuotaTest {
    private final FakeClock clock = new FakeClock(1_700_000_000_000L);
    private final InMemoryStreamEventPublisher events = new InMemoryStreamEventPublisher();
    private RedisClient redis;
    private StreamRegistry registry;
    private String prefix;

    @BeforeEach
    void newRegistry() {
        redis = TestRedis.get().client();
        prefix = "quota-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        registry = new StreamRegistry(redis, events, clock, prefix);
    }

    @Test
    void aBroadcasterGetsAsManyStreamsAsTheQuotaAndNoMore() {
        registry.create("a", "ann", null, 2);
        registry.create("b", "ann", null, 2);
        assertThatThrownBy(() -> registry.create("c", "ann", null, 2)).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("broadcaster ann has 2 streams");
        assertThat(registry.create("other", "bob", null, 2).stream().broadcasterId()).as("quotas are per broadcaster").isEqualTo("bob");
        assertThat(registry.list()).hasSize(3);
    }

    @Test
    void deletingAStreamFreesItsPlaceInTheQuota() {
        String first = registry.create("a", "ann", null, 1).stream().id();
        assertThatThrownBy(() -> registry.create("b", "ann", null, 1)).isInstanceOf(QuotaExceededException.class);
        assertThat(registry.delete(first)).isTrue();
        assertThat(registry.create("b", "ann", null, 1).stream().title()).isEqualTo("b");
    }

    @Test
    void aNewSessionBeyondTheLiveQuotaIsRefusedButAResumedOneIsNot() {
        String one = registry.create("one", "ann", null).stream().id();
        String two = registry.create("two", "ann", null).stream().id();
        String bobs = registry.create("bob's", "bob", null).stream().id();
        GoLive first = registry.goLive(one, 1);
        assertThat(first).isInstanceOf(GoLive.Started.class);
        assertThat(registry.goLive(two, 1)).isEqualTo(new GoLive.OverLiveQuota(1));
        assertThat(registry.get(two).orElseThrow().isLive()).isFalse();
        assertThat(registry.goLive(bobs, 1)).as("another broadcaster").isInstanceOf(GoLive.Started.class);

        String session = ((GoLive.Started) first).sessionId();
        registry.disconnect(one, session);
        assertThat(registry.goLive(one, 1)).as("resumed within the grace").isEqualTo(new GoLive.Started(session));
        assertThat(registry.goLive(one, 1)).isEqualTo(new GoLive.AlreadyLive());

        registry.end(one, session, "unpublish");
        assertThat(registry.goLive(two, 1)).isInstanceOf(GoLive.Started.class);
        assertThat(registry.goLive(two, 0)).as("0 is no limit; live is live").isEqualTo(new GoLive.AlreadyLive());
        assertThat(registry.goLive("nosuchstream", 1)).isEqualTo(new GoLive.Unknown());
    }

    @Test
    void deleteEndsALiveSessionAndRemovesTheStreamAndItsKey() {
        CreatedStream created = registry.create("show", "ann", null);
        String id = created.stream().id();
        String session = registry.goLive(id).orElseThrow();

        assertThat(registry.delete(id)).isTrue();

        assertThat(registry.get(id)).isEmpty();
        assertThat(registry.findByKey(created.streamKey())).isEmpty();
        assertThat(registry.live()).isEmpty();
        assertThat(registry.list()).isEmpty();
        assertThat(events.events()).anyMatch(e -> e.type().equals(StreamEvent.ENDED) && session.equals(e.sessionId()) && "deleted".equals(e.reason()))
                .anyMatch(e -> e.type().equals(StreamEvent.DELETED) && e.streamId().equals(id));
        assertThat(redis.keys(prefix + "*")).as("nothing of the stream is left").isEmpty();
        assertThat(registry.delete(id)).as("already gone").isFalse();
    }
}
