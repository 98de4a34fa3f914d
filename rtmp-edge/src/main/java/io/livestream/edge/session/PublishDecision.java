package io.livestream.edge.session;

/** What a {@link PublishGate} says to a publish attempt. */
public sealed interface PublishDecision {
    /** The key is valid and the stream was free: publishing under {@code streamId}, this run being {@code sessionId}. */
    record Accepted(String streamId, String sessionId) implements PublishDecision {}

    /** Refused, with a reason for the log (never echoed with the key to the client). */
    record Refused(String reason) implements PublishDecision {}
}
