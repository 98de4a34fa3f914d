package io.livestream.common.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a stream is in its lifecycle: idle (never live) -> live -> ended -> live again with a new session. */
public enum StreamStatus {
    IDLE, LIVE, ENDED;

    /** The lowercase form used in Redis and JSON. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static StreamStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
