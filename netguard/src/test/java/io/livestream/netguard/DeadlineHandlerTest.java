package io.livestream.netguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.time.FakeClock;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deadlines on an EmbeddedChannel, whose clock the test moves forward: no sleeping. */
class DeadlineHandlerTest {
    private final List<String> lines = new ArrayList<>();
    private final RateLimitedLog log = new RateLimitedLog(lines::add, 10_000, new FakeClock(0));

    @Test
    void aMilestoneNotMetInTimeClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("deadline", new DeadlineHandler("the handshake", 1_000, log));
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines).singleElement().asString().contains("the handshake not done within 1000 ms");
    }

    @Test
    void aMilestoneMetInTimeTakesTheDeadlineOut() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("deadline", new DeadlineHandler("the handshake", 1_000, log));
        DeadlineHandler.met(ch.pipeline(), "deadline");
        DeadlineHandler.met(ch.pipeline(), "deadline"); // met twice: no harm
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.pipeline().get("deadline")).isNull();
        assertThat(lines).isEmpty();
    }

    @Test
    void aRequestMustArriveWholeWithinTheDeadlineOfItsFirstByteButIdlingBetweenRequestsIsFree() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("codec", new HttpServerCodec());
        HttpRequestDeadline.install(ch.pipeline(), "codec", 1_000, log);
        ch.advanceTimeBy(5, TimeUnit.SECONDS); // idle before the first request: not the deadline's business
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        ch.advanceTimeBy(5, TimeUnit.SECONDS); // a whole request came: idle again
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();

        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHo", StandardCharsets.US_ASCII));
        ch.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.copiedBuffer("st: x\r\n", StandardCharsets.US_ASCII)); // a byte now and then does not reset it
        ch.advanceTimeBy(400, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines).singleElement().asString().contains("request not complete within 1000 ms");
        ch.finishAndReleaseAll();
    }
}
