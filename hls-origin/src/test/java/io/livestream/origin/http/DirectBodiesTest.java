package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

class DirectBodiesTest {
    @Test
    void oneDirectCopyServesEveryAnswerOfTheSameBody() {
        DirectBodies bodies = new DirectBodies(1000);
        byte[] segment = {1, 2, 3, 4};
        ByteBuf first = bodies.retained(segment);
        ByteBuf second = bodies.retained(segment);
        assertThat(first.isDirect()).isTrue();
        assertThat(ByteBufUtil.getBytes(first)).containsExactly(1, 2, 3, 4);
        first.skipBytes(2); // each answer reads its own view
        assertThat(second.readableBytes()).isEqualTo(4);
        assertThat(bodies.bytes()).isEqualTo(4);
        first.release();
        second.release();
        bodies.clear();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void theSameBytesInAnotherArrayAreAnotherBody() {
        DirectBodies bodies = new DirectBodies(1000);
        bodies.retained(new byte[] {7}).release();
        bodies.retained(new byte[] {7}).release();
        assertThat(bodies.bytes()).isEqualTo(2);
        bodies.clear();
    }

    @Test
    void pastItsLimitTheLeastRecentlySentGoesAndIsFreedWhenItsLastAnswerIsWritten() {
        DirectBodies bodies = new DirectBodies(10);
        byte[] old = new byte[6];
        byte[] recent = new byte[4];
        ByteBuf inFlight = bodies.retained(old);
        bodies.retained(recent).release();
        bodies.retained(old).release(); // old is now the most recently sent
        bodies.retained(new byte[5]).release(); // 15 bytes: recent goes, then 11 bytes: old goes too
        assertThat(bodies.bytes()).isEqualTo(5);
        assertThat(inFlight.refCnt()).as("still being written").isEqualTo(1);
        inFlight.release();
        assertThat(inFlight.refCnt()).isZero();
        bodies.clear();
    }

    @Test
    void aBodyLargerThanTheLimitIsCopiedForItsAnswerAlone() {
        DirectBodies bodies = new DirectBodies(3);
        ByteBuf big = bodies.retained(new byte[4]);
        assertThat(bodies.bytes()).isZero();
        big.release();
        assertThat(big.refCnt()).isZero();
    }
}
