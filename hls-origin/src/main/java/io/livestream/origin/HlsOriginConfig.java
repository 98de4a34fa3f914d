package io.livestream.origin;

import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.store.StoreConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * Everything an origin instance needs.
 *
 * @param groupId Kafka consumer group; must be unique per origin instance, since every instance reads every stream
 * @param lookback how far back a starting origin reads {@code live.media} to rebuild its windows
 */
public record HlsOriginConfig(OriginConfig http, StoreConfig store, String bootstrapServers, String groupId, Duration lookback) {
    public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(2);

    /** Defaults, with a group id made unique from the host name and a random suffix. */
    public static HlsOriginConfig defaults(String bootstrapServers) {
        return new HlsOriginConfig(OriginConfig.DEFAULTS, StoreConfig.DEFAULTS, bootstrapServers, uniqueGroupId(), DEFAULT_LOOKBACK);
    }

    public HlsOriginConfig withHttp(OriginConfig newHttp) {
        return new HlsOriginConfig(newHttp, store, bootstrapServers, groupId, lookback);
    }

    public HlsOriginConfig withStore(StoreConfig newStore) {
        return new HlsOriginConfig(http, newStore, bootstrapServers, groupId, lookback);
    }

    public HlsOriginConfig withGroupId(String newGroupId) {
        return new HlsOriginConfig(http, store, bootstrapServers, newGroupId, lookback);
    }

    public HlsOriginConfig withLookback(Duration newLookback) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, newLookback);
    }

    static String uniqueGroupId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "origin";
        }
        return "hls-origin-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
