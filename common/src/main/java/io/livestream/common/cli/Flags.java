package io.livestream.common.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Command-line settings of the standalone services: {@code --name value} or {@code --name=value}, falling back to
 * the environment variable {@code LIVESTREAM_NAME} ({@code --public-host} reads {@code LIVESTREAM_PUBLIC_HOST}), then
 * to the default. The flag wins, as in {@code ./livestream up}, so a container image can set its defaults in the
 * environment and an operator can still override them on the command line.
 */
public final class Flags {
    public static final String ENV_PREFIX = "LIVESTREAM_";

    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Set<String> read = new HashSet<>();

    private Flags(Map<String, String> flags, Map<String, String> env) {
        this.flags = flags;
        this.env = env;
    }

    /** @throws IllegalArgumentException on a bare word or a flag without a value */
    public static Flags parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                flags.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                flags.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
        }
        return new Flags(flags, env);
    }

    public static String envName(String flag) {
        return ENV_PREFIX + flag.toUpperCase().replace('-', '_');
    }

    public String get(String name, String fallback) {
        read.add(name);
        String value = flags.get(name);
        if (value == null) value = env.get(envName(name));
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** @throws IllegalArgumentException when the setting is missing */
    public String require(String name) {
        String value = get(name, null);
        if (value == null) throw new IllegalArgumentException("--" + name + " (or " + envName(name) + ") is required");
        return value;
    }

    public int port(String name, int fallback) {
        int port = integer(name, fallback);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--" + name + " must be a port number 0-65535, got " + port);
        return port;
    }

    public int integer(String name, int fallback) {
        return (int) number(name, fallback);
    }

    public long number(String name, long fallback) {
        String value = get(name, null);
        if (value == null) return fallback;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
        }
    }

    /** A duration as ISO-8601 ({@code PT2H}) or a number with a unit: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String name, Duration fallback) {
        String value = get(name, null);
        if (value == null) return fallback;
        try {
            if (value.startsWith("P") || value.startsWith("p")) return Duration.parse(value);
            if (value.endsWith("ms")) return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 90s, 10m, 2h, 7d or PT2H, got '" + value + "'");
        }
    }

    /** Call after reading every setting: a mistyped flag fails instead of being ignored. */
    public void rejectUnknown() {
        for (String flag : flags.keySet()) {
            if (!read.contains(flag)) throw new IllegalArgumentException("unknown flag --" + flag);
        }
    }
}
