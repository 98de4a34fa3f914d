package io.livestream.jobs.lifecycle;

/**
 * What the lifecycle operator concluded about a stream's session from its media, for the registry to apply.
 *
 * @param atMs when it happened: the last media's arrival for RECONNECTING and ENDED, the arrival that resumed it
 */
public record LifecycleDecision(Type type, String streamId, String sessionId, long atMs, String reason) {
    public enum Type {
        /** Media stopped: the session is in its reconnect grace (a publisher may continue it). */
        RECONNECTING,
        /** Media of a session in its grace flows again. */
        RESUMED,
        /** The session is over: its grace ran out (reason disconnect) or its publisher stopped (reason unpublish). */
        ENDED
    }

    public static LifecycleDecision reconnecting(String streamId, String sessionId, long lastMediaMs) {
        return new LifecycleDecision(Type.RECONNECTING, streamId, sessionId, lastMediaMs, null);
    }

    public static LifecycleDecision resumed(String streamId, String sessionId, long atMs) {
        return new LifecycleDecision(Type.RESUMED, streamId, sessionId, atMs, null);
    }

    public static LifecycleDecision ended(String streamId, String sessionId, long atMs, String reason) {
        return new LifecycleDecision(Type.ENDED, streamId, sessionId, atMs, reason);
    }
}
