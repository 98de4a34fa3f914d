package io.livestream.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A lifecycle event on {@code live.stream-events} (JSON, schema version {@value #SCHEMA_VERSION}).
 *
 * @param type created, live, ended, key-rotated or deleted
 * @param sessionId the live session (one per go-live), null for created / key-rotated / deleted
 * @param at epoch milliseconds of the transition
 * @param reason why a stream ended (unpublish, disconnect, api, timeout), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamEvent(int v, String type, String streamId, String sessionId, long at, String reason) {
    public static final int SCHEMA_VERSION = 1;
    public static final String CREATED = "created";
    public static final String LIVE = "live";
    public static final String ENDED = "ended";
    public static final String KEY_ROTATED = "key-rotated";
    /** The stream and its keys were removed (its recordings are removed apart, by session). */
    public static final String DELETED = "deleted";

    public static StreamEvent of(String type, String streamId, String sessionId, long at, String reason) {
        return new StreamEvent(SCHEMA_VERSION, type, streamId, sessionId, at, reason);
    }
}
