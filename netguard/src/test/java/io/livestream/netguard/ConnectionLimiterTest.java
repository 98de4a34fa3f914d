package io.livestream.netguard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
    private final ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(2, 3));

    @Test
    void refusesPastThePerAddressLimitButNotOtherAddresses() {
        assertThat(limiter.tryAcquire("a")).isNull();
        assertThat(limiter.tryAcquire("a")).isNull();
        assertThat(limiter.tryAcquire("a")).isEqualTo(ConnectionLimiter.Refusal.PER_ADDRESS);
        assertThat(limiter.tryAcquire("b")).isNull();
        assertThat(limiter.open("a")).isEqualTo(2);
    }

    @Test
    void refusesPastTheTotalFromAnyAddress() {
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        limiter.tryAcquire("c");
        assertThat(limiter.tryAcquire("d")).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
        assertThat(limiter.total()).isEqualTo(3);
    }

    @Test
    void aReleasedPlaceCanBeTakenAgain() {
        limiter.tryAcquire("a");
        limiter.tryAcquire("a");
        limiter.release("a");
        assertThat(limiter.tryAcquire("a")).isNull();
        limiter.release("never-seen"); // closing a refused connection gives nothing back
        assertThat(limiter.total()).isEqualTo(2);
    }
}
