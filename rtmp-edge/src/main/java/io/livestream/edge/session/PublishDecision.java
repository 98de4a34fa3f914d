package io.livestream.edge.session;

/** What a {@link PublishGate} says to a publish attempt. */
public sealed interface PublishDecision {
    /** The key is valid and the stream was free: publishing under {@code streamId}, this run being {@code sessionId}. */
    record Accepted(String streamId, String sessionId) implements PublishDecision {}

    /** Refused, with a reason for the log (never echoed with the key to the client). */
    record Refused(String reason) implements PublishDecision {}

    /**
     * The key is valid but the broadcaster's live quota is reached: the client gets {@code NetStream.Publish.Rejected}
     * with {@code reason} (it names no key), so the broadcaster sees why rather than a bad-key status.
     */
    record OverQuota(String reason) implements PublishDecision {}
}
