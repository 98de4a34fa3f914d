package io.livestream.jobs.chat;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatKeys;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.json.Json;
import java.net.URI;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import redis.clients.jedis.RedisClient;

/**
 * Writes the chat job's verdicts to Redis: accepted messages to the bounded history, deletes and clears applied to
 * it, and every event published on the gateways' channel. Each write is one Lua script, so history and fan-out
 * never disagree.
 */
public final class ChatRedisSink implements Sink<ChatEvent> {
    // KEYS: history, channel. ARGV: message JSON, event JSON, limit.
    private static final String APPEND = """
            redis.call('LPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
            redis.call('PUBLISH', KEYS[2], ARGV[2])
            """;
    // KEYS: history, channel. ARGV: message id marker ("messageId":"<id>"), event JSON.
    private static final String DELETE = """
            for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              if string.find(item, ARGV[1], 1, true) then redis.call('LREM', KEYS[1], 1, item) end
            end
            redis.call('PUBLISH', KEYS[2], ARGV[2])
            """;
    // KEYS: history, channel. ARGV: event JSON.
    private static final String CLEAR = """
            redis.call('DEL', KEYS[1])
            redis.call('PUBLISH', KEYS[2], ARGV[1])
            """;

    private final String redisUri;
    private final String keyPrefix;

    public ChatRedisSink(String redisUri, String keyPrefix) {
        this.redisUri = redisUri;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public SinkWriter<ChatEvent> createWriter(WriterInitContext context) {
        RedisClient redis = RedisClient.create(URI.create(redisUri));
        return new SinkWriter<>() {
            @Override
            public void write(ChatEvent event, Context ctx) {
                String history = ChatKeys.history(keyPrefix, event.streamId());
                String channel = ChatKeys.roomChannel(keyPrefix, event.streamId());
                String eventJson = Json.toString(event);
                if (ChatEvent.MESSAGE.equals(event.type())) {
                    redis.eval(APPEND, List.of(history, channel),
                            List.of(Json.toString(event.message()), eventJson, String.valueOf(ChatKeys.HISTORY_LIMIT)));
                } else if (ChatEvent.MODERATION.equals(event.type()) && ChatModeration.DELETE.equals(event.moderation().action())) {
                    String marker = "\"messageId\":" + Json.toString(event.moderation().messageId());
                    redis.eval(DELETE, List.of(history, channel), List.of(marker, eventJson));
                } else if (ChatEvent.MODERATION.equals(event.type()) && ChatModeration.CLEAR.equals(event.moderation().action())) {
                    redis.eval(CLEAR, List.of(history, channel), List.of(eventJson));
                } else {
                    redis.publish(channel, eventJson);
                }
            }

            @Override public void flush(boolean endOfInput) { }

            @Override public void close() { redis.close(); }
        };
    }
}
