package io.livestream.common.audience;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One sign of life of a viewer on {@code live.viewer-heartbeats} (JSON, schema version {@value #SCHEMA_VERSION}),
 * key = stream id.
 *
 * @param viewerId the viewer session: the player's {@code vsid}, else a hash of IP and User-Agent
 * @param rendition the rendition being watched, null when unknown
 * @param at epoch milliseconds (event time of the audience job)
 * @param source player (POST /api/streams/{id}/heartbeat, the player beacon); origin (a media playlist request) is
 *     no longer written: the cache answers most playlist requests without an origin
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ViewerHeartbeat(int v, String streamId, String viewerId, String rendition, long at, String source) {
    public static final int SCHEMA_VERSION = 1;

    public static ViewerHeartbeat of(String streamId, String viewerId, String rendition, long at, String source) {
        return new ViewerHeartbeat(SCHEMA_VERSION, streamId, viewerId, rendition, at, source);
    }
}
