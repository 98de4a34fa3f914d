package io.livestream.common.chat;

import java.util.Locale;

/** Who is speaking: a chat token carries one of these; only moderators and the broadcaster may moderate. */
public enum ChatRole {
    VIEWER, MODERATOR, BROADCASTER;

    public boolean canModerate() {
        return this != VIEWER;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChatRole parse(String value) {
        return value == null ? VIEWER : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
