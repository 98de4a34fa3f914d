package io.livestream.chat.auth;

import io.livestream.common.chat.ChatRole;
import io.livestream.common.json.Json;
import io.livestream.common.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chat tokens: {@code base64url(claims JSON) + "." + base64url(HMAC-SHA256(claims))}, claims
 * {@code {"u": user, "r": role, "s": stream id or absent, "exp": epoch seconds}}. Stateless, so any gateway
 * sharing the secret verifies any other's tokens.
 */
public final class ChatTokens {
    /** Twitch-like user names: no spaces, no look-alike tricks with punctuation. */
    public static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_]{1,25}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Clock clock;

    public ChatTokens(String secret, Clock clock) {
        if (secret == null || secret.length() < 16) throw new IllegalArgumentException("token secret must be at least 16 characters");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    public String issue(String user, ChatRole role, String streamId, long ttlSeconds) {
        if (!USER_NAME.matcher(user).matches()) throw new IllegalArgumentException("invalid user name");
        if (role != ChatRole.VIEWER && streamId == null) throw new IllegalArgumentException(role + " token needs a stream");
        long exp = clock.millis() / 1000 + ttlSeconds;
        Map<String, Object> claims = streamId == null ? Map.of("u", user, "r", role.wire(), "exp", exp)
                : Map.of("u", user, "r", role.wire(), "s", streamId, "exp", exp);
        String body = B64.encodeToString(Json.toBytes(claims));
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The identity of a valid, unexpired token; empty for anything else. */
    public Optional<ChatIdentity> verify(String token) {
        if (token == null) return Optional.empty();
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) return Optional.empty();
        String body = token.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(body), B64D.decode(token.substring(dot + 1)))) return Optional.empty();
            Claims c = Json.fromBytes(B64D.decode(body), Claims.class);
            if (c.u() == null || c.exp() <= clock.millis() / 1000) return Optional.empty();
            return Optional.of(new ChatIdentity(c.u(), ChatRole.parse(c.r()), c.s(), c.exp()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Claims(String u, String r, String s, long exp) {}
}
