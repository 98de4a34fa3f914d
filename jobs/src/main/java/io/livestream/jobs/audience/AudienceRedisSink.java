package io.livestream.jobs.audience;

import io.livestream.common.audience.ViewerCount;
import io.livestream.common.audience.ViewerKeys;
import io.livestream.common.json.Json;
import java.net.URI;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import redis.clients.jedis.RedisClient;

/**
 * Writes the latest count to the hash {@code <prefix>viewers:<id>} (see {@link ViewerKeys}). The peak belongs to
 * the live session: the registry's {@code liveSince} of the stream is remembered beside it, and a new session
 * starts a new peak. Older windows than the one stored are ignored.
 */
public final class AudienceRedisSink implements Sink<ViewerCount> {
    // KEYS: viewers hash, registry stream hash. ARGV: count, updatedAt, byRendition JSON, windowEnd.
    private static final String UPDATE = """
            local stored = tonumber(redis.call('HGET', KEYS[1], 'windowEnd') or '0')
            if tonumber(ARGV[4]) < stored then return 0 end
            local since = redis.call('HGET', KEYS[2], 'liveSince') or ''
            local peak = tonumber(redis.call('HGET', KEYS[1], 'peak') or '0')
            if (redis.call('HGET', KEYS[1], 'peakSince') or '') ~= since then peak = 0 end
            local count = tonumber(ARGV[1])
            if count > peak then peak = count end
            redis.call('HSET', KEYS[1], 'count', ARGV[1], 'peak', peak, 'peakSince', since,
                       'updatedAt', ARGV[2], 'byRendition', ARGV[3], 'windowEnd', ARGV[4])
            redis.call('EXPIRE', KEYS[1], 86400)
            return 1
            """;

    private final String redisUri;
    private final String keyPrefix;

    public AudienceRedisSink(String redisUri, String keyPrefix) {
        this.redisUri = redisUri;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public SinkWriter<ViewerCount> createWriter(WriterInitContext context) {
        RedisClient redis = RedisClient.create(URI.create(redisUri));
        return new SinkWriter<>() {
            @Override
            public void write(ViewerCount c, Context ctx) {
                redis.eval(UPDATE, List.of(ViewerKeys.viewers(keyPrefix, c.streamId()), keyPrefix + "stream:" + c.streamId()),
                        List.of(String.valueOf(c.count()), String.valueOf(System.currentTimeMillis()),
                                Json.toString(c.byRendition()), String.valueOf(c.windowEnd())));
            }

            @Override public void flush(boolean endOfInput) { }

            @Override public void close() { redis.close(); }
        };
    }
}
