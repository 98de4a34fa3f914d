package io.livestream.edge.handshake;

import io.livestream.edge.RtmpProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of the RTMP handshake: C0+C1 in, S0+S1+S2 out (C2 is read and ignored, as every server does).
 * Flash-era clients put an HMAC-SHA256 digest in C1 (the "complex" handshake) and expect S1/S2 signed in reply;
 * anything else gets the plain echo. Pure: no I/O, randomness injected.
 */
public final class Handshake {
    public static final int VERSION = 3;
    public static final int PACKET_SIZE = 1536;
    public static final int C0C1_SIZE = 1 + PACKET_SIZE;
    static final int DIGEST_SIZE = 32;

    private static final byte[] KEY_TAIL = bytes(
            0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
            0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE);
    /** Client key: "Genuine Adobe Flash Player 001" (the 30-byte prefix signs C1, the 62-byte whole signs C2). */
    static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII), KEY_TAIL);
    static final int PLAYER_KEY_SHORT = 30;
    /** Server key: "Genuine Adobe Flash Media Server 001" (36-byte prefix signs S1, the 68-byte whole keys S2). */
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII), KEY_TAIL);
    static final int SERVER_KEY_SHORT = 36;
    /** The version we put in S1 bytes 4-7 when answering a digest handshake (what FMS 3.5 sends). */
    private static final byte[] SERVER_VERSION = bytes(0x03, 0x05, 0x01, 0x01);

    /** The answer to C0+C1; {@code digest} says which variant was spoken. */
    public record Response(byte[] s0s1s2, boolean digest) {}

    public static Response respond(byte[] c0c1, Random random) {
        if (c0c1.length != C0C1_SIZE) throw new IllegalArgumentException("C0+C1 must be " + C0C1_SIZE + " bytes");
        int version = c0c1[0] & 0xFF;
        if (version != VERSION) throw new RtmpProtocolException("handshake version " + version + " (only 3, plain RTMP, is served)");
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, C0C1_SIZE);
        byte[] out = new byte[1 + 2 * PACKET_SIZE];
        out[0] = VERSION;
        byte[] s1 = new byte[PACKET_SIZE];
        random.nextBytes(s1);
        Arrays.fill(s1, 0, 8, (byte) 0); // time 0, then zero (plain) or our version (digest)

        int clientDigestAt = clientUsesDigest(c1) ? findDigest(c1, PLAYER_KEY, PLAYER_KEY_SHORT) : -1;
        if (clientDigestAt < 0) {
            System.arraycopy(s1, 0, out, 1, PACKET_SIZE);
            System.arraycopy(c1, 0, out, 1 + PACKET_SIZE, PACKET_SIZE); // S2 echoes C1
            return new Response(out, false);
        }
        int scheme = clientDigestAt >= 776 ? 772 : 8; // answer in the scheme the client chose
        System.arraycopy(SERVER_VERSION, 0, s1, 4, 4);
        int s1DigestAt = digestOffset(s1, scheme);
        System.arraycopy(digest(s1, s1DigestAt, SERVER_KEY, SERVER_KEY_SHORT), 0, s1, s1DigestAt, DIGEST_SIZE);

        byte[] s2 = new byte[PACKET_SIZE];
        random.nextBytes(s2);
        byte[] clientDigest = Arrays.copyOfRange(c1, clientDigestAt, clientDigestAt + DIGEST_SIZE);
        byte[] s2Key = hmac(SERVER_KEY, clientDigest, 0, DIGEST_SIZE);
        byte[] s2Signature = hmac(s2Key, s2, 0, PACKET_SIZE - DIGEST_SIZE);
        System.arraycopy(s2Signature, 0, s2, PACKET_SIZE - DIGEST_SIZE, DIGEST_SIZE);

        System.arraycopy(s1, 0, out, 1, PACKET_SIZE);
        System.arraycopy(s2, 0, out, 1 + PACKET_SIZE, PACKET_SIZE);
        return new Response(out, true);
    }

    /** Plain clients send four zero bytes after the time; digest clients send their version there. */
    static boolean clientUsesDigest(byte[] c1) {
        return c1[4] != 0 || c1[5] != 0 || c1[6] != 0 || c1[7] != 0;
    }

    /** Offset of a valid digest under either scheme (offset bytes at 8 or at 772), or -1. */
    static int findDigest(byte[] packet, byte[] key, int keyLength) {
        for (int scheme : new int[] {8, 772}) {
            int at = digestOffset(packet, scheme);
            byte[] expected = digest(packet, at, key, keyLength);
            if (java.security.MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, at, at + DIGEST_SIZE))) return at;
        }
        return -1;
    }

    /** Where the digest sits: the four bytes at {@code base} summed, mod 728, past those four bytes. */
    static int digestOffset(byte[] packet, int base) {
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** HMAC-SHA256 over the packet with the 32 digest bytes at {@code at} left out. */
    static byte[] digest(byte[] packet, int at, byte[] key, int keyLength) {
        byte[] message = new byte[PACKET_SIZE - DIGEST_SIZE];
        System.arraycopy(packet, 0, message, 0, at);
        System.arraycopy(packet, at + DIGEST_SIZE, message, at, PACKET_SIZE - at - DIGEST_SIZE);
        return hmac(Arrays.copyOf(key, keyLength), message, 0, message.length);
    }

    static byte[] hmac(byte[] key, byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    private Handshake() {}
}
