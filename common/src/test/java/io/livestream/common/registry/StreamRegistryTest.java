package io.livestream.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.time.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.livestream.common.testing.TestRedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Against a real redis-server (embedded-redis), so the Lua scripts run for real. */
class StreamRegistryTest {
    private static RedisClient redis;
    private static int prefixCounter;

    private final FakeClock clock = new FakeClock(1_700_000_000_000L);
    private final InMemoryStreamEventPublisher events = new InMemoryStreamEventPublisher();
    private StreamRegistry registry;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.get().client();
    }


    @BeforeEach
    void newRegistry() {
        prefix = "test" + (++prefixCounter) + ":";
        registry = new StreamRegistry(redis, events, clock, prefix);
    }

    @Test
    void createReturnsAnIdleStreamAndAKeyOnce() {
        CreatedStream created = registry.create("My show", "alice", List.of("source", "480p"));

        assertThat(created.streamKey()).matches("live_[0-9a-f]{32}");
        assertThat(created.toString()).doesNotContain(created.streamKey());
        StreamInfo info = registry.get(created.stream().id()).orElseThrow();
        assertThat(info).isEqualTo(created.stream());
        assertThat(info.title()).isEqualTo("My show");
        assertThat(info.broadcasterId()).isEqualTo("alice");
        assertThat(info.status()).isEqualTo(StreamStatus.IDLE);
        assertThat(info.createdAt()).isEqualTo(clock.millis());
        assertThat(info.ladder()).containsExactly("source", "480p");
        assertThat(info.currentSessionId()).isNull();
    }

    @Test
    void defaultLadderWhenNoneGiven() {
        StreamInfo info = registry.create("t", null, null).stream();
        assertThat(registry.get(info.id()).orElseThrow().ladder()).isEqualTo(StreamRegistry.DEFAULT_LADDER);
        assertThat(registry.get(info.id()).orElseThrow().broadcasterId()).isNull();
    }

    @Test
    void onlyTheHashOfTheKeyIsStored() {
        CreatedStream created = registry.create("secret", "bob", List.of());
        String key = created.streamKey();

        List<String> redisKeys = scan(prefix + "*");
        assertThat(redisKeys).isNotEmpty().noneMatch(k -> k.contains(key));
        for (String redisKey : redisKeys) {
            String type = redis.type(redisKey);
            List<String> values = switch (type) {
                case "hash" -> redis.hgetAll(redisKey).entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toList();
                case "string" -> List.of(redis.get(redisKey));
                case "set" -> new ArrayList<>(redis.smembers(redisKey));
                case "zset" -> redis.zrange(redisKey, 0, -1);
                default -> throw new AssertionError("unexpected type " + type + " of " + redisKey);
            };
            assertThat(values).as(redisKey).noneMatch(v -> v.contains(key.substring(5)));
        }
        assertThat(redisKeys).contains(prefix + "stream-key:" + StreamKeys.hash(key));
        assertThat(Json.toString(created.stream())).doesNotContain(key).doesNotContain(StreamKeys.hash(key));
        assertThat(created.stream().toString()).doesNotContain(StreamKeys.hash(key));
    }

    @Test
    void findByKeyFindsTheStreamAndNothingElse() {
        CreatedStream a = registry.create("a", "x", null);
        CreatedStream b = registry.create("b", "y", null);

        assertThat(registry.findByKey(a.streamKey())).map(StreamInfo::id).contains(a.stream().id());
        assertThat(registry.findByKey(b.streamKey())).map(StreamInfo::id).contains(b.stream().id());
        assertThat(registry.findByKey(StreamKeys.newStreamKey())).isEmpty();
        assertThat(registry.findByKey("nonsense")).isEmpty();
        assertThat(registry.findByKey(null)).isEmpty();
        assertThat(registry.findByKey(a.streamKey().toUpperCase())).isEmpty();
    }

    @Test
    void lifecycleIdleLiveEndedLiveWithNewSession() {
        String id = registry.create("show", "b", null).stream().id();

        clock.advance(1000);
        String first = registry.goLive(id).orElseThrow();
        StreamInfo live = registry.get(id).orElseThrow();
        assertThat(live.status()).isEqualTo(StreamStatus.LIVE);
        assertThat(live.currentSessionId()).isEqualTo(first);
        assertThat(live.liveSince()).isEqualTo(clock.millis());
        assertThat(registry.live()).extracting(StreamInfo::id).containsExactly(id);

        clock.advance(5000);
        assertThat(registry.end(id, first, "unpublish")).isTrue();
        StreamInfo ended = registry.get(id).orElseThrow();
        assertThat(ended.status()).isEqualTo(StreamStatus.ENDED);
        assertThat(ended.endedAt()).isEqualTo(clock.millis());
        assertThat(ended.endReason()).isEqualTo("unpublish");
        assertThat(registry.live()).isEmpty();

        clock.advance(1000);
        String second = registry.goLive(id).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        StreamInfo again = registry.get(id).orElseThrow();
        assertThat(again.status()).isEqualTo(StreamStatus.LIVE);
        assertThat(again.endedAt()).isNull();
        assertThat(again.endReason()).isNull();
    }

    @Test
    void secondGoLiveIsRefusedWhileLive() {
        String id = registry.create("show", "b", null).stream().id();
        String session = registry.goLive(id).orElseThrow();

        assertThat(registry.goLive(id)).isEmpty();
        assertThat(registry.get(id).orElseThrow().currentSessionId()).isEqualTo(session);
        assertThat(registry.goLive("no-such-stream")).isEmpty();
    }

    @Test
    void concurrentGoLiveAdmitsExactlyOnePublisher() throws Exception {
        String id = registry.create("race", "b", null).stream().id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Optional<String>>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) attempts.add(() -> registry.goLive(id));
            long admitted = 0;
            for (Future<Optional<String>> f : pool.invokeAll(attempts)) if (f.get().isPresent()) admitted++;
            assertThat(admitted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void endIsIdempotentAndIgnoresStaleSessions() {
        String id = registry.create("show", "b", null).stream().id();
        String first = registry.goLive(id).orElseThrow();
        registry.end(id, first, "api");
        String second = registry.goLive(id).orElseThrow();
        events.clear();

        assertThat(registry.end(id, first, "disconnect")).isFalse();
        assertThat(registry.get(id).orElseThrow().status()).isEqualTo(StreamStatus.LIVE);
        assertThat(registry.end(id, second, "disconnect")).isTrue();
        assertThat(registry.end(id, second, "disconnect")).isFalse();
        assertThat(registry.end("no-such-stream", second, "api")).isFalse();

        assertThat(events.types()).containsExactly(StreamEvent.ENDED);
    }

    @Test
    void rotateKeyInvalidatesTheOldKey() {
        CreatedStream created = registry.create("show", "b", null);
        String id = created.stream().id();

        String newKey = registry.rotateKey(id);

        assertThat(newKey).matches("live_[0-9a-f]{32}").isNotEqualTo(created.streamKey());
        assertThat(registry.findByKey(created.streamKey())).isEmpty();
        assertThat(registry.findByKey(newKey)).map(StreamInfo::id).contains(id);
        assertThat(redis.exists(prefix + "stream-key:" + StreamKeys.hash(created.streamKey()))).isFalse();
        assertThatThrownBy(() -> registry.rotateKey("no-such-stream")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void eventsFollowTheTransitionsInOrder() {
        String id = registry.create("show", "b", null).stream().id();
        clock.advance(10);
        String session = registry.goLive(id).orElseThrow();
        clock.advance(10);
        registry.end(id, session, "unpublish");
        clock.advance(10);
        registry.rotateKey(id);

        assertThat(events.events()).containsExactly(
                StreamEvent.of(StreamEvent.CREATED, id, null, 1_700_000_000_000L, null),
                StreamEvent.of(StreamEvent.LIVE, id, session, 1_700_000_000_010L, null),
                StreamEvent.of(StreamEvent.ENDED, id, session, 1_700_000_000_020L, "unpublish"),
                StreamEvent.of(StreamEvent.KEY_ROTATED, id, null, 1_700_000_000_030L, null));
    }

    @Test
    void listIsInCreationOrderAndLiveOnlyHoldsLiveStreams() {
        String a = registry.create("a", "x", null).stream().id();
        clock.advance(1);
        String b = registry.create("b", "x", null).stream().id();
        clock.advance(1);
        String c = registry.create("c", "x", null).stream().id();
        registry.goLive(c);
        clock.advance(1);
        registry.goLive(a);

        assertThat(registry.list()).extracting(StreamInfo::id).containsExactly(a, b, c);
        assertThat(registry.live()).extracting(StreamInfo::id).containsExactly(c, a);
        assertThat(registry.get("missing")).isEmpty();
    }

    @Test
    void statusIsLowercaseInJson() {
        StreamInfo info = registry.create("json", "x", null).stream();
        Map<?, ?> json = Json.fromBytes(Json.toBytes(info), Map.class);
        assertThat(json.get("status")).isEqualTo("idle");
        assertThat(Json.fromBytes(Json.toBytes(info), StreamInfo.class)).isEqualTo(info);
    }

    private static List<String> scan(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(100));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }
}
