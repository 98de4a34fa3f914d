package io.livestream.edge.session;

/** Stream keys are secrets: logs and metrics only ever see this masked form. */
public final class StreamKeys {
    public static String mask(String streamKey) {
        if (streamKey == null) return "null";
        // a key of 8 chars or fewer would be shown whole: show at most its first char
        if (streamKey.length() <= 8) return streamKey.isEmpty() ? "..." : streamKey.charAt(0) + "...";
        return streamKey.substring(0, 8) + "...";
    }

    private StreamKeys() {}
}
