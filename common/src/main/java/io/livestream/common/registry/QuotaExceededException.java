package io.livestream.common.registry;

/** A broadcaster's quota (streams, or live streams) is reached; the message says which and what to do. */
public final class QuotaExceededException extends RuntimeException {
    public QuotaExceededException(String message) {
        super(message, null, false, false);
    }
}
