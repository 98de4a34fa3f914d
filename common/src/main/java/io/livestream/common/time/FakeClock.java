package io.livestream.common.time;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. */
public final class FakeClock implements Clock {
    private final AtomicLong millis;

    public FakeClock(long startMillis) { this.millis = new AtomicLong(startMillis); }

    @Override public long millis() { return millis.get(); }

    public void advance(long deltaMillis) { millis.addAndGet(deltaMillis); }

    public void set(long newMillis) { millis.set(newMillis); }
}
