package io.livestream.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.livestream.common.testing.TestRedis;
import redis.clients.jedis.RedisClient;

/** The reconnect grace, broadcaster tokens and the ended announcement, against a real redis-server. */
class StreamLifecycleTest {
    private static final long GRACE = 15_000;
    private static RedisClient redis;
    private static int prefixCounter;

    private final FakeClock clock = new FakeClock(1_700_000_000_000L);
    private final InMemoryStreamEventPublisher events = new InMemoryStreamEventPublisher();
    private StreamRegistry registry;
    private String id;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.get().client();
    }


    @BeforeEach
    void newStream() {
        registry = new StreamRegistry(redis, events, clock, "life" + (++prefixCounter) + ":", GRACE);
        id = registry.create("t", "b", null).stream().id();
        events.clear();
    }

    @Test
    void reconnectWithinTheGraceContinuesTheSession() {
        String session = registry.goLive(id).orElseThrow();
        assertThat(registry.disconnect(id, session)).isTrue();
        assertThat(registry.get(id).orElseThrow().isLive()).isTrue();
        assertThat(registry.disconnectedSince(id)).contains(clock.millis());
        clock.advance(GRACE);

        assertThat(registry.goLive(id)).contains(session);
        assertThat(registry.disconnectedSince(id)).isEmpty();
        assertThat(registry.goLive(id)).as("a second publisher is still refused").isEmpty();
        assertThat(events.events()).extracting(StreamEvent::type, StreamEvent::sessionId, StreamEvent::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("live", session, null),
                        org.assertj.core.groups.Tuple.tuple("live", session, "reconnect"));
    }

    @Test
    void aPublisherWhoseEdgeStoppedRenewingItsHoldIsTreatedAsDroppedSoItsReconnectContinuesTheSession() {
        String session = registry.goLive(id).orElseThrow();
        clock.advance(StreamRegistry.PUBLISHER_HOLD_MS);
        assertThat(registry.goLive(id)).as("held until now: a second publisher is refused").isEmpty();
        assertThat(registry.renewHolds(Map.of(id, session))).isEqualTo(1);
        clock.advance(StreamRegistry.PUBLISHER_HOLD_MS);
        assertThat(registry.goLive(id)).as("renewed: still held").isEmpty();

        // the edge was SIGKILLed: nobody marked the drop, nobody renews; the publisher reconnects through another edge
        clock.advance(1);
        assertThat(registry.goLive(id)).as("the hold lapsed: the same session resumes").contains(session);
        assertThat(registry.goLive(id)).as("the new edge holds it now").isEmpty();
        assertThat(events.events()).extracting(StreamEvent::type, StreamEvent::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("live", null), org.assertj.core.groups.Tuple.tuple("live", "reconnect"));
    }

    @Test
    void aHoldThatLapsedLongerThanTheGraceAgoEndsTheOldSessionThenAndStartsANewOne() {
        String session = registry.goLive(id).orElseThrow();
        long heldUntil = clock.millis() + StreamRegistry.PUBLISHER_HOLD_MS;
        clock.advance(StreamRegistry.PUBLISHER_HOLD_MS + GRACE + 1);
        String next = registry.goLive(id).orElseThrow();
        assertThat(next).isNotEqualTo(session);
        assertThat(events.events()).filteredOn(e -> e.type().equals(StreamEvent.ENDED)).singleElement()
                .satisfies(e -> assertThat(e.sessionId()).isEqualTo(session))
                .satisfies(e -> assertThat(e.at()).as("ended when its hold ran out").isEqualTo(heldUntil));
    }

    @Test
    void onlyTheLiveConnectedSessionsHoldIsRenewed() {
        String session = registry.goLive(id).orElseThrow();
        assertThat(registry.renewHolds(Map.of(id, "another-session"))).isZero();
        assertThat(registry.disconnect(id, session)).isTrue();
        assertThat(registry.renewHolds(Map.of(id, session))).as("in its grace: the drop is known").isZero();
        assertThat(registry.renewHolds(Map.of())).isZero();
    }

    @Test
    void theLifecycleJobEndsASessionAtTheTimeItsMediaStopped() {
        String session = registry.goLive(id).orElseThrow();
        long lastMedia = clock.millis();
        clock.advance(3_000);
        assertThat(registry.disconnectedAt(id, session, lastMedia)).isTrue();
        assertThat(registry.disconnectedSince(id)).contains(lastMedia);
        clock.advance(GRACE);

        assertThat(registry.endAt(id, session, "disconnect", lastMedia)).isTrue();
        StreamInfo info = registry.get(id).orElseThrow();
        assertThat(info.status()).isEqualTo(StreamStatus.ENDED);
        assertThat(info.endReason()).isEqualTo("disconnect");
        assertThat(info.endedAt()).as("ended when the media stopped").isEqualTo(lastMedia);
        assertThat(registry.live()).isEmpty();
        assertThat(registry.endAt(id, session, "disconnect", lastMedia)).as("ending twice is a no-op").isFalse();
        assertThat(events.types()).containsExactly("live", "ended");
    }

    @Test
    void theEarliestDisconnectTimeWinsAndMediaFlowingAgainResumes() {
        String session = registry.goLive(id).orElseThrow();
        long dropSeenByEdge = clock.millis();
        registry.disconnect(id, session);
        clock.advance(2_000);
        assertThat(registry.disconnectedAt(id, session, clock.millis())).isTrue();
        assertThat(registry.disconnectedSince(id)).contains(dropSeenByEdge);

        assertThat(registry.resume(id, session)).isTrue();
        assertThat(registry.disconnectedSince(id)).isEmpty();
        assertThat(registry.resume(id, session)).as("not in its grace any more").isFalse();
        assertThat(registry.disconnectedAt(id, "another-session", clock.millis())).isFalse();
        assertThat(registry.get(id).orElseThrow().isLive()).isTrue();
    }

    @Test
    void aLateReconnectBeforeTheSweepStartsANewSessionAndEndsTheOld() {
        String session = registry.goLive(id).orElseThrow();
        registry.disconnect(id, session);
        clock.advance(GRACE + 1);

        String next = registry.goLive(id).orElseThrow();
        assertThat(next).isNotEqualTo(session);
        assertThat(events.events()).extracting(StreamEvent::type, StreamEvent::sessionId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("live", session),
                        org.assertj.core.groups.Tuple.tuple("ended", session),
                        org.assertj.core.groups.Tuple.tuple("live", next));
    }

    @Test
    void anEndDuringTheGraceEndsAtOnce() {
        String session = registry.goLive(id).orElseThrow();
        registry.disconnect(id, session);
        assertThat(registry.end(id, session, "api")).isTrue();
        assertThat(registry.disconnectedSince(id)).isEmpty();
        assertThat(registry.goLive(id)).isPresent().get().isNotEqualTo(session);
    }

    @Test
    void disconnectOfAStaleSessionIsIgnored() {
        String session = registry.goLive(id).orElseThrow();
        registry.end(id, session, "unpublish");
        assertThat(registry.disconnect(id, session)).isFalse();
        assertThat(registry.disconnect(id, "other")).isFalse();
    }

    @Test
    void broadcasterTokensAndKeysAreCheckedAgainstTheirHashes() {
        CreatedStream created = registry.create("t", "b", null);
        String sid = created.stream().id();
        String token = registry.issueBroadcasterToken(sid);
        assertThat(token).startsWith("bt_");
        assertThat(redis.hgetAll("life" + prefixCounter + ":stream:" + sid).values()).doesNotContain(token);
        assertThat(registry.checkBroadcasterToken(sid, token)).isTrue();
        assertThat(registry.checkBroadcasterToken(sid, token + "x")).isFalse();
        assertThat(registry.checkBroadcasterToken(id, token)).isFalse();
        assertThat(registry.checkStreamKey(sid, created.streamKey())).isTrue();
        assertThat(registry.checkStreamKey(id, created.streamKey())).isFalse();
        assertThat(registry.checkStreamKey(sid, "live_00000000000000000000000000000000")).isFalse();
    }

    @Test
    void endedSessionsAreAnnouncedToSubscribers() throws Exception {
        List<StreamEvent> received = new CopyOnWriteArrayList<>();
        try (EndedSubscription subscription = (EndedSubscription) registry.subscribeEnded(received::add)) {
            await().atMost(Duration.ofSeconds(5)).until(subscription::isSubscribed);
            String session = registry.goLive(id).orElseThrow();
            registry.end(id, session, "api");
            await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
            assertThat(received.get(0)).isEqualTo(StreamEvent.of("ended", id, session, clock.millis(), "api"));
        }
    }
}
