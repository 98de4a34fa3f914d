package io.livestream.common.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** Where a page of {@link StreamRegistry#page} ended: the last stream's creation time and id, opaque to clients (base64url). */
record PageCursor(long createdAt, String id) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static PageCursor parse(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed cursor");
        }
        int dot = text.indexOf('.');
        if (dot < 1 || !ID.matcher(text.substring(dot + 1)).matches()) throw new IllegalArgumentException("malformed cursor");
        try {
            return new PageCursor(Long.parseLong(text.substring(0, dot)), text.substring(dot + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed cursor");
        }
    }

    @Override
    public String toString() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "." + id).getBytes(StandardCharsets.UTF_8));
    }
}
