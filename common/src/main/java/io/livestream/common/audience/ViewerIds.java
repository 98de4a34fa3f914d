package io.livestream.common.audience;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Viewer session ids: the player's own {@code vsid} when it sends a sane one, else a hash of IP and User-Agent. */
public final class ViewerIds {
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** The id of a viewer: {@code vsid} if well-formed, else "ip-" + 16 hex digits of SHA-256(ip | userAgent). */
    public static String of(String vsid, String ip, String userAgent) {
        if (vsid != null && SANE.matcher(vsid).matches()) return vsid;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ((ip == null ? "" : ip) + "|" + (userAgent == null ? "" : userAgent)).getBytes(StandardCharsets.UTF_8));
            return "ip-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ViewerIds() {}
}
