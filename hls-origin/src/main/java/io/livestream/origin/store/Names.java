package io.livestream.origin.store;

import java.util.regex.Pattern;

/** Which stream ids and rendition names the origin accepts: they become URL path segments, so no dots-only or slashes. */
public final class Names {
    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern RENDITION = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

    public static boolean isStreamId(String s) {
        return s != null && STREAM_ID.matcher(s).matches();
    }

    public static boolean isRendition(String s) {
        return s != null && RENDITION.matcher(s).matches() && !s.contains("..");
    }

    private Names() {}
}
