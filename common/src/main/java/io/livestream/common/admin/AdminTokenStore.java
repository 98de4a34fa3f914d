package io.livestream.common.admin;

import io.livestream.common.registry.StreamKeys;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The operator ("admin") token's hash in Redis, so every origin sharing the Redis accepts the same token. Owns one key,
 * {@code <prefix>admin:token-hash}: the SHA-256 of the token, never the token. Nobody else builds that key.
 *
 * <p>The Redis client is borrowed: closing it is the caller's business.
 */
public final class AdminTokenStore {
    private final UnifiedJedis redis;
    private final String key;

    public AdminTokenStore(UnifiedJedis redis, String keyPrefix) {
        this.redis = Objects.requireNonNull(redis);
        this.key = Objects.requireNonNull(keyPrefix) + "admin:token-hash";
    }

    /** Whether a token is set. */
    public boolean exists() {
        return redis.exists(key);
    }

    /** Sets {@code token} as the operator token unless one is set already; whether it was set by this call. */
    public boolean setIfAbsent(String token) {
        return "OK".equals(redis.set(key, StreamKeys.hash(validated(token)), new SetParams().nx()));
    }

    /** Makes {@code token} the operator token, replacing any other (the old one stops working at once). */
    public void replace(String token) {
        redis.set(key, StreamKeys.hash(validated(token)));
    }

    /** Whether {@code token} is the operator token (hashes compared in constant time); false while none is set. */
    public boolean check(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) return false;
        return StreamKeys.hashesEqual(StreamKeys.hash(token), redis.get(key));
    }

    private static String validated(String token) {
        if (token == null || token.isBlank() || token.length() > 256 || !token.equals(token.strip())) {
            throw new IllegalArgumentException("an operator token must be 1-256 characters without surrounding blanks");
        }
        return token;
    }
}
