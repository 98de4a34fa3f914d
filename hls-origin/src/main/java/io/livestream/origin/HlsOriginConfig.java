package io.livestream.origin;

import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.store.StoreConfig;
import java.io.IOException;
import java.net.InetAddress;
import io.livestream.origin.tls.TlsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * Everything an origin instance needs.
 *
 * @param groupId Kafka consumer group; must be unique per origin instance, since every instance reads every stream
 * @param lookback how far back a starting origin reads {@code live.media} to rebuild its windows
 * @param api the control API (needs the registry's Redis); null serves no API
 * @param dvr where recordings go; null records nothing
 * @param webChatPort serve the viewer and broadcaster pages, whose chat talks to a gateway on this port of the same
 *     host; null serves no pages
 * @param chatGateway a chat gateway ({@code http://host:port}) to forward the chat routes to, so they answer on this
 *     port too; null answers them 404 (behind the balancer, which routes them by path, that is fine)
 * @param adminTokenFile where {@link OriginMain} keeps a new operator token for the CLI and scripts; null keeps none
 * @param tls HTTPS (with HTTP/2) on its own port besides HTTP; null serves HTTP only
 */
public record HlsOriginConfig(OriginConfig http, StoreConfig store, String bootstrapServers, String groupId, Duration lookback,
                              ApiConfig api, DvrConfig dvr, Integer webChatPort, URI chatGateway, java.nio.file.Path adminTokenFile,
                              TlsConfig tls) {
    public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(2);

    /** Without API and recordings, as before they existed. */
    public HlsOriginConfig(OriginConfig http, StoreConfig store, String bootstrapServers, String groupId, Duration lookback) {
        this(http, store, bootstrapServers, groupId, lookback, null, null, null, null, null, null);
    }

    /** Defaults, with a group id made unique from the host name and a random suffix. */
    public static HlsOriginConfig defaults(String bootstrapServers) {
        return new HlsOriginConfig(OriginConfig.DEFAULTS, StoreConfig.DEFAULTS, bootstrapServers, uniqueGroupId(), DEFAULT_LOOKBACK);
    }

    public HlsOriginConfig withHttp(OriginConfig newHttp) {
        return new HlsOriginConfig(newHttp, store, bootstrapServers, groupId, lookback, api, dvr, webChatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withStore(StoreConfig newStore) {
        return new HlsOriginConfig(http, newStore, bootstrapServers, groupId, lookback, api, dvr, webChatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withGroupId(String newGroupId) {
        return new HlsOriginConfig(http, store, bootstrapServers, newGroupId, lookback, api, dvr, webChatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withLookback(Duration newLookback) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, newLookback, api, dvr, webChatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withApi(ApiConfig newApi) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, lookback, newApi, dvr, webChatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withDvr(DvrConfig newDvr) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, lookback, api, newDvr, webChatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withWebPages(int chatPort) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, lookback, api, dvr, chatPort, chatGateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withChatGateway(URI gateway) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, lookback, api, dvr, webChatPort, gateway, adminTokenFile, tls);
    }

    public HlsOriginConfig withAdminTokenFile(java.nio.file.Path file) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, lookback, api, dvr, webChatPort, chatGateway, file, tls);
    }

    public HlsOriginConfig withTls(TlsConfig newTls) {
        return new HlsOriginConfig(http, store, bootstrapServers, groupId, lookback, api, dvr, webChatPort, chatGateway, adminTokenFile, newTls);
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
