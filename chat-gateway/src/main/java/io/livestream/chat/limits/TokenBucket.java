package io.livestream.chat.limits;

import io.livestream.common.time.Clock;

/** A token bucket: {@code burst} tokens, refilled at {@code perSecond}. One per connection, used on its event loop. */
public final class TokenBucket {
    private final double burst;
    private final double perMilli;
    private final Clock clock;
    private double tokens;
    private long last;

    public TokenBucket(int burst, double perSecond, Clock clock) {
        this.burst = burst;
        this.perMilli = perSecond / 1000.0;
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.millis();
    }

    /** Takes one token; false when the bucket is empty. */
    public boolean tryTake() {
        long now = clock.millis();
        tokens = Math.min(burst, tokens + (now - last) * perMilli);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
