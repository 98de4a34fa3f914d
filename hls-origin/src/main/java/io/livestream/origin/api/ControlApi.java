package io.livestream.origin.api;

import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.dvr.DvrResources;
import io.livestream.origin.http.Route;
import io.livestream.origin.http.RouteTable;
import io.livestream.origin.store.SegmentStore;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The control API's routes: streams, keys, health, recordings, viewers, readiness and the OpenAPI document. JSON in
 * and out; every refusal is {@code {"error": ...}} with 400/401/403/404/405/409/429 (413 from the pipeline, 503 when
 * Redis is down or the blocking executor is full). Creating and deleting streams and recordings needs the operator
 * token ({@link OperatorAuth}; its hash is in the same Redis, under the same prefix, so every origin accepts it). Everything that reads Redis runs on the blocking executor.
 */
public final class ControlApi {
    /**
     * @param recordings null when the origin records nothing
     * @param health null when the origin does not read {@code live.stream-health}
     * @param checks readiness checks beyond Redis
     */
    public static RouteTable routes(StreamRegistry registry, UnifiedJedis redis, SegmentStore segments, DvrResources recordings,
                                    HealthHistory health, ApiConfig config, List<ReadinessHandler.Check> checks) {
        OperatorAuth operator = new OperatorAuth(new AdminTokenStore(redis, config.keyPrefix()));
        StreamAccess access = new StreamAccess(registry, operator);
        StreamViews views = new StreamViews(config, segments, health);
        ViewerCounts viewers = new ViewerCounts(redis, config.keyPrefix());
        StreamsHandler streams = new StreamsHandler(registry, access, viewers, views, operator, config.maxStreamsPerBroadcaster());
        StreamActionsHandler actions = new StreamActionsHandler(registry, access, views);
        KeysHandler keys = new KeysHandler(registry, access, views);
        RecordingsHandler recordingsHandler = new RecordingsHandler(registry, access, recordings, views, operator);
        List<ReadinessHandler.Check> allChecks = new ArrayList<>();
        allChecks.add(new ReadinessHandler.Check("redis", () -> "PONG".equals(redis.ping())));
        allChecks.addAll(checks);
        return RouteTable.builder()
                .onEventLoop(Route.OpenApi.class, new OpenApiHandler()::document)
                .blocking(Route.Ready.class, new ReadinessHandler(allChecks)::ready)
                .blocking(Route.Streams.class, streams::collection)
                .blocking(Route.LiveStreams.class, streams::live)
                .blocking(Route.Stream.class, streams::one)
                .blocking(Route.StartStream.class, actions::start)
                .blocking(Route.EndStream.class, actions::end)
                .blocking(Route.RotateKey.class, keys::rotate)
                .blocking(Route.StreamHealth.class, new StreamHealthHandler(access, views)::health)
                .blocking(Route.Recordings.class, recordingsHandler::list)
                .blocking(Route.Recording.class, recordingsHandler::delete)
                .blocking(Route.Viewers.class, new ViewersHandler(access, viewers)::viewers)
                .build();
    }

    private ControlApi() {}
}
