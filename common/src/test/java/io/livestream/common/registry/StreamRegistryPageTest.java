package io.livestream.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.testing.TcpProxy;
import io.livestream.common.testing.TestRedis;
import io.livestream.common.time.FakeClock;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** {@link StreamRegistry#page} against a real redis-server, through a proxy that counts round trips. */
class StreamRegistryPageTest {
    private static int prefixCounter;

    private final FakeClock clock = new FakeClock(1_700_000_000_000L);
    private TcpProxy proxy;
    private RedisClient redis;
    private StreamRegistry registry;

    @BeforeEach
    void setUp() {
        URI uri = URI.create(TestRedis.get().uri());
        proxy = new TcpProxy(uri.getHost(), uri.getPort());
        redis = RedisClient.create("127.0.0.1", proxy.port());
        registry = new StreamRegistry(redis, new InMemoryStreamEventPublisher(), clock, "page" + (prefixCounter++) + ":");
    }

    @AfterEach
    void tearDown() {
        redis.close();
        proxy.close();
    }

    @Test
    void pagesWalkEveryStreamOnceInCreationOrderWithTwoRoundTripsEach() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            if (i % 3 != 0) clock.advance(1); // some streams share a creation millisecond: ties are ordered by id
            created.add(registry.create("s" + i, "b", null).stream().id());
        }
        List<String> expected = registry.list().stream().map(StreamInfo::id).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(created);

        List<String> walked = new ArrayList<>();
        List<Integer> tripsPerPage = new ArrayList<>();
        String cursor = null;
        do {
            proxy.resetRoundTrips();
            StreamPage page = registry.page(cursor, 10);
            tripsPerPage.add(proxy.roundTrips());
            page.streams().forEach(s -> walked.add(s.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(tripsPerPage).containsExactly(2, 2, 2);
    }

    @Test
    void aCursorWhoseStreamIsGoneResumesAtItsPlace() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(1);
            ids.add(registry.create("s" + i, "b", null).stream().id());
        }
        StreamPage first = registry.page(null, 2);
        assertThat(first.streams()).extracting(StreamInfo::id).containsExactly(ids.get(0), ids.get(1));
        redis.zrem(registry.keyPrefix() + "streams", ids.get(1)); // the page's last stream vanishes
        StreamPage second = registry.page(first.nextCursor(), 2);
        assertThat(second.streams()).extracting(StreamInfo::id).containsExactly(ids.get(2), ids.get(3));
        StreamPage last = registry.page(second.nextCursor(), 2);
        assertThat(last.streams()).extracting(StreamInfo::id).containsExactly(ids.get(4));
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void reportsReconnectingStreamsAndRefusesBadArguments() {
        String id = registry.create("s", "b", null).stream().id();
        String session = registry.goLive(id).orElseThrow();
        registry.disconnect(id, session);
        assertThat(registry.page(null, 5).disconnectedSince()).containsEntry(id, clock.millis());
        assertThatThrownBy(() -> registry.page("%%%", 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.page("bm8tZG90", 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.page(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.page(null, StreamRegistry.MAX_PAGE + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
