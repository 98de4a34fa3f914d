package io.livestream.origin.http;

/** If-None-Match evaluation (RFC 9110 13.1.2): weak comparison, a list of tags or "*". */
public final class EntityTags {
    public static boolean noneMatchFails(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) return false;
        String mine = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || opaque(c).equals(mine)) return true;
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private EntityTags() {}
}
