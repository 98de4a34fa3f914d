package io.livestream.chat.bus;

import io.livestream.common.audience.ViewerKeys;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/** The chat history list (newest first in Redis) and the viewer-count hash. */
public final class RedisChatStore implements ChatStore {
    private final UnifiedJedis redis;
    private final String prefix;

    public RedisChatStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public List<ChatAccepted> recent(String streamId, int limit) {
        List<String> newestFirst = redis.lrange(ChatKeys.history(prefix, streamId), 0, limit - 1);
        List<ChatAccepted> out = new ArrayList<>(newestFirst.size());
        for (String json : newestFirst) out.add(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), ChatAccepted.class));
        Collections.reverse(out);
        return out;
    }

    @Override
    public Map<String, String> viewers(String streamId) {
        return redis.hgetAll(ViewerKeys.viewers(prefix, streamId));
    }
}
