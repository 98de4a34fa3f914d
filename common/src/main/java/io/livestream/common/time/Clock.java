package io.livestream.common.time;

/** Where time comes from, so time-dependent behaviour is tested with {@link FakeClock} instead of sleeping. */
public interface Clock {
    long millis();

    default long nanos() {
        return millis() * 1_000_000L;
    }

    Clock SYSTEM = new Clock() {
        @Override public long millis() { return System.currentTimeMillis(); }
        @Override public long nanos() { return System.nanoTime(); }
    };
}
