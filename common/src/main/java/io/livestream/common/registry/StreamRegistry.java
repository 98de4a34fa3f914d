package io.livestream.common.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import io.livestream.common.events.StreamEvent;
import io.livestream.common.json.Json;
import io.livestream.common.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The registry of streams, kept in Redis so that every edge, origin and API instance shares it.
 *
 * <p>Layout under the key prefix (default {@code ls:}): {@code stream:<id>} a hash per stream (which holds
 * the SHA-256 of the stream key, never the key); {@code stream-key:<sha256>} -> stream id; {@code streams} a
 * sorted set of ids by creation time; {@code streams:live} the set of live ids; {@code streams:disconnected} live
 * ids whose publisher dropped, by when; {@code broadcaster-streams:<broadcasterId>} the ids of a broadcaster's streams (for
 * the quotas). Every transition is one Lua script, so concurrent edges and API calls cannot
 * interleave inside it, and publishes one {@link StreamEvent}; every end is also announced on Redis pub/sub
 * ({@value #ENDED_CHANNEL}) so edges drop publishers of sessions ended elsewhere.
 *
 * <p>Lifecycle: idle -> live ({@link #goLive}) -> ended ({@link #end}: unpublish, api, timeout). A dropped connection
 * ({@link #disconnect}, from the edge that saw it, or {@link #disconnectedAt}, from the lifecycle job that saw the
 * stream's media stop) keeps the session live for the reconnect grace: a {@link #goLive} within it continues the
 * same session id; the lifecycle job ends it ({@link #endAt}, reason disconnect, at the time of the drop) after it.
 *
 * <p>The Redis client is borrowed: closing it is the caller's business.
 */
public final class StreamRegistry {
    public static final String DEFAULT_KEY_PREFIX = "ls:";
    public static final List<String> DEFAULT_LADDER = List.of("source", "720p", "480p", "360p");
    /** How long a dropped publisher may take to reconnect and continue its session (OBS retries after a few seconds). */
    public static final long DEFAULT_RECONNECT_GRACE_MS = 15_000;
    /**
     * How long a live session's publisher counts as connected unless its edge renews the hold ({@link #renewHolds},
     * every second). An edge that dies without a word (SIGKILL, a lost host) cannot mark the drop, and the lifecycle
     * job notices the silence only once it has read up to it: until then the publisher reconnecting through another
     * edge was refused as "already live" (up to 8 s in the failover suite). A lapsed hold counts as the drop.
     */
    public static final long PUBLISHER_HOLD_MS = 3_000;
    /** Redis pub/sub channel (under the prefix) on which every ended session is announced, as a StreamEvent JSON. */
    public static final String ENDED_CHANNEL = "stream-ended";
    private static final Logger LOG = LoggerFactory.getLogger(StreamRegistry.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    // KEYS: stream hash, key index, all-streams zset, the broadcaster's set ('' without one). ARGV: id, createdAt,
    // quota (0: none), then hash field/value pairs. 1 created, 0 id or key taken, -1 the broadcaster's quota is reached.
    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            local quota = tonumber(ARGV[3])
            if KEYS[4] ~= '' and quota > 0 and redis.call('SCARD', KEYS[4]) >= quota then return -1 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            redis.call('SET', KEYS[2], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
            if KEYS[4] ~= '' then redis.call('SADD', KEYS[4], ARGV[1]) end
            return 1
            """;
    // KEYS: stream hash, live set, disconnected zset. ARGV: id, new session id, now, grace ms, live quota (0: none),
    // key prefix, hold ms. {-1} unknown stream, {0} already live (connected, its hold not lapsed), {1} new session,
    // {2, session} resumed within the grace, {3, old session, disconnectedAt} the old session's grace had run out
    // unswept: it is ended, a new one started, {-2} a new session would exceed the broadcaster's live quota (a resumed
    // one never does). A connected session whose hold lapsed counts as dropped when the hold ran out.
    // The quota reads the broadcaster's other streams, keys not passed in KEYS: fine on one Redis, not on a Redis Cluster.
    private static final String GO_LIVE = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return {-1} end
            local previous = redis.call('HGET', KEYS[1], 'sessionId')
            local since = redis.call('HGET', KEYS[1], 'disconnectedAt')
            local heldUntil = tonumber(ARGV[3]) + tonumber(ARGV[7])
            if status == 'live' then
              if not since then
                local held = redis.call('HGET', KEYS[1], 'heldUntil')
                if not held or tonumber(ARGV[3]) <= tonumber(held) then return {0} end
                since = held
              end
              if tonumber(ARGV[3]) - tonumber(since) <= tonumber(ARGV[4]) then
                redis.call('HDEL', KEYS[1], 'disconnectedAt')
                redis.call('ZREM', KEYS[3], ARGV[1])
                redis.call('HSET', KEYS[1], 'heldUntil', string.format('%d', heldUntil))
                return {2, previous}
              end
            end
            local quota = tonumber(ARGV[5])
            local broadcaster = redis.call('HGET', KEYS[1], 'broadcasterId')
            if quota > 0 and broadcaster then
              local live = 0
              for _, other in ipairs(redis.call('SMEMBERS', ARGV[6] .. 'broadcaster-streams:' .. broadcaster)) do
                if other ~= ARGV[1] and redis.call('SISMEMBER', KEYS[2], other) == 1 then live = live + 1 end
              end
              if live >= quota then return {-2} end
            end
            redis.call('HSET', KEYS[1], 'status', 'live', 'sessionId', ARGV[2], 'liveSince', ARGV[3], 'heldUntil', string.format('%d', heldUntil))
            redis.call('HDEL', KEYS[1], 'endedAt', 'endReason', 'disconnectedAt')
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[1])
            if status == 'live' then return {3, previous, since} end
            return {1}
            """;
    // KEYS: stream hash, live set, disconnected zset. ARGV: id, session id, now, reason. 1 only if that session was the live one.
    private static final String END = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'live' then return 0 end
            if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], 'status', 'ended', 'endedAt', ARGV[3], 'endReason', ARGV[4])
            redis.call('HDEL', KEYS[1], 'disconnectedAt', 'heldUntil')
            redis.call('SREM', KEYS[2], ARGV[1])
            redis.call('ZREM', KEYS[3], ARGV[1])
            return 1
            """;
    // KEYS: stream hash, disconnected zset. ARGV: id, session id, since. 1 if the live session is now in its grace
    // period; an earlier time already set (the edge saw the drop before the lifecycle job saw the silence) is kept.
    private static final String DISCONNECT = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'live' then return 0 end
            if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[2] then return 0 end
            local since = redis.call('HGET', KEYS[1], 'disconnectedAt')
            if since and tonumber(since) <= tonumber(ARGV[3]) then return 1 end
            redis.call('HSET', KEYS[1], 'disconnectedAt', ARGV[3])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            return 1
            """;
    // KEYS: stream hash, disconnected zset. ARGV: id, session id. 1 if the live session had been in its grace and is not now.
    private static final String RESUME = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'live' then return 0 end
            if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[2] then return 0 end
            if redis.call('HDEL', KEYS[1], 'disconnectedAt') == 0 then return 0 end
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """;
    // KEYS: the streams' hashes. ARGV: held until, then each stream's session id. Renews each hold whose session is
    // still the live, connected one; returns how many.
    private static final String RENEW_HOLDS = """
            local renewed = 0
            for i, key in ipairs(KEYS) do
              if redis.call('HGET', key, 'status') == 'live' and redis.call('HGET', key, 'sessionId') == ARGV[i + 1]
                  and redis.call('HEXISTS', key, 'disconnectedAt') == 0 then
                redis.call('HSET', key, 'heldUntil', ARGV[1])
                renewed = renewed + 1
              end
            end
            return renewed
            """;
    // KEYS: stream hash, old key index, new key index. ARGV: id, old hash, new hash. 0 if the key changed meanwhile.
    private static final String ROTATE = """
            if redis.call('HGET', KEYS[1], 'keyHash') ~= ARGV[2] then return 0 end
            if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
            redis.call('DEL', KEYS[2])
            redis.call('SET', KEYS[3], ARGV[1])
            redis.call('HSET', KEYS[1], 'keyHash', ARGV[3])
            return 1
            """;

    // KEYS: all-streams zset. ARGV: the cursor's createdAt and id ('' for the first page), limit. Up to limit + 1
    // members with their scores after the cursor in (createdAt, id) order, the zset's own order; the extra one says
    // whether another page follows. A cursor whose stream is gone resumes at its place in that order.
    private static final String PAGE = """
            local start = 0
            if ARGV[2] ~= '' then
              local rank = redis.call('ZRANK', KEYS[1], ARGV[2])
              if rank then
                start = rank + 1
              else
                start = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. ARGV[1])
                for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])) do
                  if id < ARGV[2] then start = start + 1 end
                end
              end
            end
            return redis.call('ZRANGE', KEYS[1], start, start + tonumber(ARGV[3]), 'WITHSCORES')
            """;
    // KEYS: stream hash, key index (from the hash's keyHash), all-streams zset, live set, disconnected zset.
    // ARGV: id, prefix. 1 deleted, 0 unknown, -1 live (end it first).
    private static final String DELETE = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return 0 end
            if status == 'live' then return -1 end
            local keyHash = redis.call('HGET', KEYS[1], 'keyHash')
            if keyHash and redis.call('GET', ARGV[2] .. 'stream-key:' .. keyHash) == ARGV[1] then
              redis.call('DEL', ARGV[2] .. 'stream-key:' .. keyHash)
            end
            local broadcaster = redis.call('HGET', KEYS[1], 'broadcasterId')
            if broadcaster then redis.call('SREM', ARGV[2] .. 'broadcaster-streams:' .. broadcaster, ARGV[1]) end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('SREM', KEYS[3], ARGV[1])
            redis.call('ZREM', KEYS[4], ARGV[1])
            return 1
            """;

    /** The largest page {@link #page} returns. */
    public static final int MAX_PAGE = 200;

    private final UnifiedJedis redis;
    private final StreamEventPublisher events;
    private final Clock clock;
    private final String prefix;
    private final long reconnectGraceMs;

    public StreamRegistry(UnifiedJedis redis, StreamEventPublisher events, Clock clock, String keyPrefix) {
        this(redis, events, clock, keyPrefix, DEFAULT_RECONNECT_GRACE_MS);
    }

    public StreamRegistry(UnifiedJedis redis, StreamEventPublisher events, Clock clock, String keyPrefix, long reconnectGraceMs) {
        if (reconnectGraceMs < 0) throw new IllegalArgumentException("reconnectGraceMs < 0");
        this.reconnectGraceMs = reconnectGraceMs;
        this.redis = Objects.requireNonNull(redis);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.prefix = Objects.requireNonNull(keyPrefix);
    }

    public StreamRegistry(UnifiedJedis redis, StreamEventPublisher events) {
        this(redis, events, Clock.SYSTEM, DEFAULT_KEY_PREFIX);
    }

    /** Creates an idle stream; the returned key is never retrievable again (only its hash is stored). */
    public CreatedStream create(String title, String broadcasterId, List<String> ladder) {
        return create(title, broadcasterId, ladder, 0);
    }

    /**
     * {@link #create(String, String, List)}, refused when the broadcaster already has {@code maxStreamsPerBroadcaster}
     * streams (0: no limit); checked and counted in one script, so concurrent creates cannot both pass.
     *
     * @throws QuotaExceededException when the broadcaster's quota is reached
     */
    public CreatedStream create(String title, String broadcasterId, List<String> ladder, int maxStreamsPerBroadcaster) {
        Objects.requireNonNull(title, "title");
        List<String> effectiveLadder = ladder == null || ladder.isEmpty() ? DEFAULT_LADDER : List.copyOf(ladder);
        long now = clock.millis();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String id = StreamKeys.newStreamId();
            String key = StreamKeys.newStreamKey();
            String keyHash = StreamKeys.hash(key);
            List<String> args = new ArrayList<>(List.of(id, Long.toString(now), Integer.toString(Math.max(0, maxStreamsPerBroadcaster)),
                    "id", id, "title", title, "createdAt", Long.toString(now),
                    "status", StreamStatus.IDLE.wireName(), "ladder", Json.toString(effectiveLadder),
                    "keyHash", keyHash));
            if (broadcasterId != null) args.addAll(List.of("broadcasterId", broadcasterId));
            long result = asLong(redis.eval(CREATE, List.of(streamKey(id), keyIndex(keyHash), allStreams(),
                    broadcasterId == null ? "" : broadcasterStreams(broadcasterId)), args));
            if (result == -1) {
                throw new QuotaExceededException("broadcaster " + broadcasterId + " has " + maxStreamsPerBroadcaster
                        + " streams, the most allowed: delete one first");
            }
            if (result == 1) {
                events.publish(StreamEvent.of(StreamEvent.CREATED, id, null, now, null));
                StreamInfo info = new StreamInfo(id, title, broadcasterId, now, StreamStatus.IDLE,
                        null, null, null, null, effectiveLadder);
                return new CreatedStream(info, key);
            }
            // a random id or key collided with an existing one: draw again
        }
        throw new IllegalStateException("could not allocate a unique stream id");
    }

    public Optional<StreamInfo> get(String id) {
        if (id == null) return Optional.empty();
        Map<String, String> fields = redis.hgetAll(streamKey(id));
        return fields.isEmpty() ? Optional.empty() : Optional.of(toInfo(fields));
    }

    /** Every stream, oldest first. */
    public List<StreamInfo> list() {
        return load(redis.zrange(allStreams(), 0, -1));
    }

    /**
     * One page of every stream, oldest first, in two Redis round trips whatever its size: one script reads the page's
     * ids from the all-streams set, one pipeline reads their hashes. {@code cursor} is null for the first page, else
     * the {@link StreamPage#nextCursor()} of the previous one; a stream removed meanwhile does not break it.
     *
     * @throws IllegalArgumentException for a malformed cursor or a limit outside 1..{@value #MAX_PAGE}
     */
    public StreamPage page(String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        PageCursor after = cursor == null ? null : PageCursor.parse(cursor);
        List<?> scored = (List<?>) redis.eval(PAGE, List.of(allStreams()), List.of(
                after == null ? "0" : Long.toString(after.createdAt()), after == null ? "" : after.id(), Integer.toString(limit)));
        List<String> ids = new ArrayList<>();
        List<Long> scores = new ArrayList<>();
        for (int i = 0; i + 1 < scored.size(); i += 2) {
            ids.add(String.valueOf(scored.get(i)));
            scores.add(Long.parseLong(String.valueOf(scored.get(i + 1))));
        }
        boolean more = ids.size() > limit;
        if (more) {
            ids = ids.subList(0, limit);
            scores = scores.subList(0, limit);
        }
        List<redis.clients.jedis.Response<Map<String, String>>> hashes = new ArrayList<>(ids.size());
        try (redis.clients.jedis.AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : ids) hashes.add(pipeline.hgetAll(streamKey(id)));
            pipeline.sync();
        }
        List<StreamInfo> streams = new ArrayList<>(ids.size());
        Map<String, Long> disconnected = new HashMap<>();
        for (redis.clients.jedis.Response<Map<String, String>> hash : hashes) {
            Map<String, String> fields = hash.get();
            if (fields.isEmpty()) continue; // removed between the two round trips
            StreamInfo info = toInfo(fields);
            streams.add(info);
            Long since = optionalLong(fields.get("disconnectedAt"));
            if (since != null) disconnected.put(info.id(), since);
        }
        String next = more ? new PageCursor(scores.get(limit - 1), ids.get(limit - 1)).toString() : null;
        return new StreamPage(streams, disconnected, next);
    }

    /** The live streams, the longest live first. */
    public List<StreamInfo> live() {
        List<StreamInfo> live = new ArrayList<>(load(new ArrayList<>(redis.smembers(liveStreams()))));
        live.removeIf(info -> !info.isLive());
        live.sort(Comparator.comparing(StreamInfo::liveSince).thenComparing(StreamInfo::id));
        return live;
    }

    /** The stream a publisher's key belongs to, if the key is current. */
    public Optional<StreamInfo> findByKey(String streamKey) {
        if (!StreamKeys.isWellFormed(streamKey)) return Optional.empty();
        String keyHash = StreamKeys.hash(streamKey);
        String id = redis.get(keyIndex(keyHash));
        if (id == null) return Optional.empty();
        Map<String, String> fields = redis.hgetAll(streamKey(id));
        // the index can lag a concurrent rotation; the stream's own hash is the authority
        if (fields.isEmpty() || !StreamKeys.hashesEqual(keyHash, fields.get("keyHash"))) return Optional.empty();
        return Optional.of(toInfo(fields));
    }

    /**
     * Marks the stream live: under a new session id, or under the previous one if its publisher dropped less than
     * the reconnect grace ago (the session continues). Empty if the stream is unknown or live with a connected
     * publisher, which is how a second publisher on the same stream is refused.
     */
    public Optional<String> goLive(String streamId) {
        return goLive(streamId, 0) instanceof GoLive.Started started ? Optional.of(started.sessionId()) : Optional.empty();
    }

    /**
     * {@link #goLive(String)}, also refused when a new session would give the stream's broadcaster more than
     * {@code maxLivePerBroadcaster} live streams (0: no limit); resuming a session within its grace is never refused.
     */
    public GoLive goLive(String streamId, int maxLivePerBroadcaster) {
        String sessionId = StreamKeys.newSessionId();
        long now = clock.millis();
        List<?> result = (List<?>) redis.eval(GO_LIVE, List.of(streamKey(streamId), liveStreams(), disconnectedStreams()),
                List.of(streamId, sessionId, Long.toString(now), Long.toString(reconnectGraceMs),
                        Integer.toString(Math.max(0, maxLivePerBroadcaster)), prefix, Long.toString(PUBLISHER_HOLD_MS)));
        switch ((int) asLong(result.get(0))) {
            case 1 -> {
                events.publish(StreamEvent.of(StreamEvent.LIVE, streamId, sessionId, now, null));
                return new GoLive.Started(sessionId);
            }
            case 2 -> {
                String resumed = String.valueOf(result.get(1));
                events.publish(StreamEvent.of(StreamEvent.LIVE, streamId, resumed, now, "reconnect"));
                return new GoLive.Started(resumed);
            }
            case 3 -> {
                String previous = String.valueOf(result.get(1));
                announceEnded(StreamEvent.of(StreamEvent.ENDED, streamId, previous, Long.parseLong(String.valueOf(result.get(2))), "disconnect"));
                events.publish(StreamEvent.of(StreamEvent.LIVE, streamId, sessionId, now, null));
                return new GoLive.Started(sessionId);
            }
            case 0 -> {
                return new GoLive.AlreadyLive();
            }
            case -2 -> {
                return new GoLive.OverLiveQuota(maxLivePerBroadcaster);
            }
            default -> {
                return new GoLive.Unknown();
            }
        }
    }

    /**
     * Removes the stream: ends its session if live (reason {@code deleted}; edges drop its publisher), then its hash,
     * its key index and its place in every set, and publishes {@code deleted}. Its recordings stay until removed apart.
     *
     * @return whether the stream existed
     */
    public boolean delete(String streamId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long result = asLong(redis.eval(DELETE, List.of(streamKey(streamId), allStreams(), liveStreams(), disconnectedStreams()),
                    List.of(streamId, prefix)));
            if (result == 0) return false;
            if (result == 1) {
                events.publish(StreamEvent.of(StreamEvent.DELETED, streamId, null, clock.millis(), null));
                return true;
            }
            // live: end the session (announced, so the edge holding the publisher drops it), then delete
            get(streamId).ifPresent(info -> end(streamId, info.currentSessionId(), "deleted"));
        }
        throw new IllegalStateException("stream " + streamId + " kept going live while being deleted");
    }

    /**
     * The edge holding these publishers is alive: renews each live session's hold for {@link #PUBLISHER_HOLD_MS}, in
     * one round trip. A session that ended, was replaced or is in its grace is left alone.
     *
     * @param sessionsByStream the live sessions this edge holds, by stream id
     * @return how many holds were renewed
     */
    public long renewHolds(Map<String, String> sessionsByStream) {
        if (sessionsByStream.isEmpty()) return 0;
        List<String> keys = new ArrayList<>(sessionsByStream.size());
        List<String> args = new ArrayList<>(sessionsByStream.size() + 1);
        args.add(Long.toString(clock.millis() + PUBLISHER_HOLD_MS));
        sessionsByStream.forEach((streamId, sessionId) -> {
            keys.add(streamKey(streamId));
            args.add(sessionId);
        });
        return asLong(redis.eval(RENEW_HOLDS, keys, args));
    }

    /**
     * Ends the stream's session if {@code sessionId} is the live one; otherwise (already ended, a newer
     * session, unknown stream) does nothing and publishes nothing.
     *
     * @return whether this call ended the session
     */
    public boolean end(String streamId, String sessionId, String reason) {
        return endAt(streamId, sessionId, reason, clock.millis());
    }

    /** {@link #end}, with the session's end at {@code endedAtMs} (when its last media arrived, say), not now. */
    public boolean endAt(String streamId, String sessionId, String reason, long endedAtMs) {
        if (streamId == null || sessionId == null) return false;
        long now = endedAtMs;
        String why = reason == null ? "unknown" : reason;
        long result = asLong(redis.eval(END, List.of(streamKey(streamId), liveStreams(), disconnectedStreams()),
                List.of(streamId, sessionId, Long.toString(now), why)));
        if (result != 1) return false;
        announceEnded(StreamEvent.of(StreamEvent.ENDED, streamId, sessionId, now, why));
        return true;
    }

    /**
     * The publisher of the live session went away without unpublishing: the session stays live (status live) for
     * the reconnect grace, during which {@link #goLive} continues it; the lifecycle job ends it after.
     *
     * @return whether the session entered its grace period
     */
    public boolean disconnect(String streamId, String sessionId) {
        return disconnectedAt(streamId, sessionId, clock.millis());
    }

    /**
     * {@link #disconnect}, with the publisher gone since {@code sinceMs}: the lifecycle job says so when a stream's
     * media stopped, whatever process held the publisher (the reconnect grace runs from then).
     */
    public boolean disconnectedAt(String streamId, String sessionId, long sinceMs) {
        if (streamId == null || sessionId == null) return false;
        return asLong(redis.eval(DISCONNECT, List.of(streamKey(streamId), disconnectedStreams()),
                List.of(streamId, sessionId, Long.toString(sinceMs)))) == 1;
    }

    /** Media of the live session flows again after it was marked disconnected: it is no longer in its grace. */
    public boolean resume(String streamId, String sessionId) {
        if (streamId == null || sessionId == null) return false;
        return asLong(redis.eval(RESUME, List.of(streamKey(streamId), disconnectedStreams()), List.of(streamId, sessionId))) == 1;
    }

    /** When the stream's live session lost its publisher (epoch ms), if it is in its reconnect grace now. */
    public Optional<Long> disconnectedSince(String streamId) {
        return Optional.ofNullable(optionalLong(redis.hget(streamKey(streamId), "disconnectedAt")));
    }

    public long reconnectGraceMs() {
        return reconnectGraceMs;
    }

    /**
     * A new broadcaster token for the stream's owner (for the API's end and key-rotate calls), replacing any
     * previous one. Only its SHA-256 is stored; the token is returned this once.
     */
    public String issueBroadcasterToken(String streamId) {
        if (!redis.exists(streamKey(streamId))) throw new NoSuchElementException("no stream " + streamId);
        String token = StreamKeys.newBroadcasterToken();
        redis.hset(streamKey(streamId), "tokenHash", StreamKeys.hash(token));
        return token;
    }

    /** Whether {@code token} is the stream's current broadcaster token (hashes compared in constant time). */
    public boolean checkBroadcasterToken(String streamId, String token) {
        if (streamId == null || token == null || token.isEmpty() || token.length() > 256) return false;
        return StreamKeys.hashesEqual(StreamKeys.hash(token), redis.hget(streamKey(streamId), "tokenHash"));
    }

    /** Whether {@code streamKey} is the current key of {@code streamId}. */
    public boolean checkStreamKey(String streamId, String streamKey) {
        if (streamId == null || !StreamKeys.isWellFormed(streamKey)) return false;
        return StreamKeys.hashesEqual(StreamKeys.hash(streamKey), redis.hget(streamKey(streamId), "keyHash"));
    }

    /**
     * Calls {@code onEnded} for every session ended by any registry instance (Redis pub/sub on {@value #ENDED_CHANNEL}),
     * so an edge drops a publisher whose session the API ended. Runs a daemon thread until the handle is closed;
     * the client must be a pooled one (the subscription holds a connection).
     */
    public AutoCloseable subscribeEnded(Consumer<StreamEvent> onEnded) {
        return EndedSubscription.start(redis, prefix + ENDED_CHANNEL, onEnded);
    }

    private void announceEnded(StreamEvent ended) {
        events.publish(ended);
        try {
            redis.publish(prefix + ENDED_CHANNEL, Json.toString(ended));
        } catch (RuntimeException e) {
            // the registry is already updated; an edge that misses this drops the publisher at its next check
            LOG.warn("could not announce the end of {}: {}", ended.streamId(), e.toString());
        }
    }

    /** Replaces the stream key; the old one stops working at once. Returns the new key (shown once). */
    public String rotateKey(String streamId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String oldHash = redis.hget(streamKey(streamId), "keyHash");
            if (oldHash == null) throw new NoSuchElementException("no stream " + streamId);
            String key = StreamKeys.newStreamKey();
            String newHash = StreamKeys.hash(key);
            long result = asLong(redis.eval(ROTATE, List.of(streamKey(streamId), keyIndex(oldHash), keyIndex(newHash)),
                    List.of(streamId, oldHash, newHash)));
            if (result == 1) {
                events.publish(StreamEvent.of(StreamEvent.KEY_ROTATED, streamId, null, clock.millis(), null));
                return key;
            }
            // rotated concurrently by someone else: read the new hash and try again
        }
        throw new IllegalStateException("could not rotate the key of stream " + streamId);
    }

    public String keyPrefix() {
        return prefix;
    }

    private List<StreamInfo> load(List<String> ids) {
        List<StreamInfo> infos = new ArrayList<>(ids.size());
        for (String id : ids) get(id).ifPresent(infos::add);
        return infos;
    }

    private static StreamInfo toInfo(Map<String, String> f) {
        Map<String, String> fields = new HashMap<>(f);
        return new StreamInfo(fields.get("id"), fields.get("title"), fields.get("broadcasterId"),
                Long.parseLong(fields.get("createdAt")), StreamStatus.fromWireName(fields.get("status")),
                fields.get("sessionId"), optionalLong(fields.get("liveSince")), optionalLong(fields.get("endedAt")),
                fields.get("endReason"), parseLadder(fields.get("ladder")));
    }

    private static List<String> parseLadder(String json) {
        if (json == null) return DEFAULT_LADDER;
        try {
            return Json.MAPPER.readValue(json, STRING_LIST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Long optionalLong(String value) {
        return value == null ? null : Long.valueOf(value);
    }

    private static long asLong(Object scriptResult) {
        return ((Number) scriptResult).longValue();
    }

    private String streamKey(String id) { return prefix + "stream:" + id; }

    private String keyIndex(String keyHash) { return prefix + "stream-key:" + keyHash; }

    private String allStreams() { return prefix + "streams"; }

    private String liveStreams() { return prefix + "streams:live"; }

    private String broadcasterStreams(String broadcasterId) { return prefix + "broadcaster-streams:" + broadcasterId; }

    private String disconnectedStreams() { return prefix + "streams:disconnected"; }
}
