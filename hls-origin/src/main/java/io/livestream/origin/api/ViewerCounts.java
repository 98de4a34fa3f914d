package io.livestream.origin.api;

import io.livestream.common.audience.ViewerKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** Reads the audience job's viewer hashes ({@link ViewerKeys}); many streams in one pipelined round trip. Blocking. */
final class ViewerCounts {
    private final UnifiedJedis redis;
    private final String prefix;

    ViewerCounts(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    Map<String, String> of(String streamId) {
        return redis.hgetAll(ViewerKeys.viewers(prefix, streamId));
    }

    /** Every stream's hash (empty when absent), in one round trip. */
    Map<String, Map<String, String>> of(List<String> streamIds) {
        if (streamIds.isEmpty()) return Map.of();
        List<Response<Map<String, String>>> replies = new ArrayList<>(streamIds.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : streamIds) replies.add(pipeline.hgetAll(ViewerKeys.viewers(prefix, id)));
            pipeline.sync();
        }
        Map<String, Map<String, String>> out = new HashMap<>();
        for (int i = 0; i < streamIds.size(); i++) out.put(streamIds.get(i), replies.get(i).get());
        return out;
    }
}
