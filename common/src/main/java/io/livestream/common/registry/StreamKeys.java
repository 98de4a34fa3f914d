package io.livestream.common.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Generation and hashing of stream keys and random ids; pure, no I/O. */
public final class StreamKeys {
    public static final String KEY_PREFIX = "live_";
    private static final Pattern KEY_FORMAT = Pattern.compile("live_[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private StreamKeys() {}

    /** A new secret stream key: "live_" + 32 lowercase hex characters (128 random bits). */
    public static String newStreamKey() {
        return KEY_PREFIX + HEX.formatHex(randomBytes(16));
    }

    /** A broadcaster token: "bt_" + 48 lowercase hex characters (192 random bits); stored only as its SHA-256. */
    public static String newBroadcasterToken() {
        return "bt_" + HEX.formatHex(randomBytes(24));
    }

    /** An operator token: "lsa_" + 48 lowercase hex characters (192 random bits); stored only as its SHA-256. */
    public static String newAdminToken() {
        return "lsa_" + HEX.formatHex(randomBytes(24));
    }

    /**
     * A short stream id: 12 characters of [0-9a-z] (62 random bits). Lowercase alphanumerics only, so it is
     * safe in URLs, file names on case-insensitive disks and command lines (never starts with '-').
     */
    public static String newStreamId() {
        return randomId(12);
    }

    /** A live session id: 16 characters of [0-9a-z] (82 random bits). */
    public static String newSessionId() {
        return randomId(16);
    }

    public static boolean isWellFormed(String streamKey) {
        return streamKey != null && KEY_FORMAT.matcher(streamKey).matches();
    }

    /** SHA-256 of the key as 64 lowercase hex characters: the only form in which a key is stored. */
    public static String hash(String streamKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(streamKey.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean hashesEqual(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomId(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) id[i] = ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length()));
        return new String(id);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
