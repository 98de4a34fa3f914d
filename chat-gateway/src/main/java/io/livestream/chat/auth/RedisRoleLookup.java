package io.livestream.chat.auth;

import io.livestream.common.chat.ChatKeys;
import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/** Broadcasters from the stream registry (by stream key or broadcaster token), moderators from the set {@code chat:moderators:<id>}. */
public final class RedisRoleLookup implements RoleLookup {
    private final UnifiedJedis redis;
    private final String prefix;
    private final StreamRegistry registry;

    public RedisRoleLookup(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
        // read-only use: nothing is ever published
        this.registry = new StreamRegistry(redis, StreamEventPublisher.NONE, Clock.SYSTEM, prefix);
    }

    @Override
    public Optional<String> streamOfKey(String streamKey) {
        return registry.findByKey(streamKey).map(StreamInfo::id);
    }

    @Override
    public boolean isBroadcasterToken(String streamId, String broadcasterToken) {
        return registry.checkBroadcasterToken(streamId, broadcasterToken);
    }

    @Override
    public boolean isModerator(String streamId, String user) {
        return redis.sismember(ChatKeys.moderators(prefix, streamId), user);
    }
}
