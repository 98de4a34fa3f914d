package io.livestream.common.audience;

/**
 * Viewer counts in Redis: hash {@code <prefix>viewers:<streamId>} with fields count, peak (the live session's
 * peak), peakSince (the session's liveSince that peak belongs to), updatedAt, byRendition (JSON object).
 */
public final class ViewerKeys {
    public static final String COUNT = "count";
    public static final String PEAK = "peak";
    public static final String UPDATED_AT = "updatedAt";
    public static final String BY_RENDITION = "byRendition";

    public static String viewers(String prefix, String streamId) {
        return prefix + "viewers:" + streamId;
    }

    private ViewerKeys() {}
}
