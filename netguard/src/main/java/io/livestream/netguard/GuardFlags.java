package io.livestream.netguard;

import io.livestream.common.cli.Flags;
import java.time.Duration;

/** The limits' flags, spelled the same on every server: {@code --max-connections-per-ip}, {@code --max-connections}, timeouts. */
public final class GuardFlags {
    private GuardFlags() {}

    public static ConnectionLimits connectionLimits(Flags flags, ConnectionLimits defaults) {
        return new ConnectionLimits(flags.integer("max-connections-per-ip", defaults.maxPerAddress()),
                flags.integer("max-connections", defaults.maxTotal()));
    }

    /** A timeout flag ({@code 10s}, {@code 2m}, ...) in whole seconds, at least one. */
    public static int seconds(Flags flags, String name, int fallbackSeconds) {
        long seconds = flags.duration(name, Duration.ofSeconds(fallbackSeconds)).toSeconds();
        if (seconds < 1) throw new IllegalArgumentException("--" + name + " must be at least 1s");
        return (int) seconds;
    }
}
