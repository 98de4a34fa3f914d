package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActivePublishersTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ActivePublishers publishers = new ActivePublishers(now::get);

    @Test
    void disconnectClosesThePublisherWithTheReason() {
        EmbeddedChannel channel = new EmbeddedChannel();
        publishers.started("s1", "session-a", channel);

        assertThat(publishers.disconnect("s1", "session-b", "api")).as("another session").isFalse();
        assertThat(publishers.disconnect("other", null, "api")).isFalse();
        assertThat(channel.isOpen()).isTrue();

        assertThat(publishers.disconnect("s1", "session-a", "api")).isTrue();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.attr(ActivePublishers.CLOSE_REASON).get()).isEqualTo("api");
    }

    @Test
    void silentPublishersAreClosedAsTimeoutOthersKept() {
        EmbeddedChannel silent = new EmbeddedChannel();
        EmbeddedChannel busy = new EmbeddedChannel();
        publishers.started("quiet", "a", silent);
        publishers.started("busy", "b", busy);
        now.addAndGet(9_000);
        publishers.media("busy");
        now.addAndGet(1_001);

        assertThat(publishers.closeSilent(10_000)).containsExactly("quiet");
        assertThat(silent.isOpen()).isFalse();
        assertThat(silent.attr(ActivePublishers.CLOSE_REASON).get()).isEqualTo("timeout");
        assertThat(busy.isOpen()).isTrue();
    }

    @Test
    void endedForgetsOnlyTheSameConnection() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        publishers.started("s1", "a", first);
        publishers.started("s1", "a", second); // a reconnect registered before the old connection's close was seen
        publishers.ended("s1", first);
        assertThat(publishers.size()).isEqualTo(1);
        publishers.ended("s1", second);
        assertThat(publishers.size()).isZero();
    }
}
