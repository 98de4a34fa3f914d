package io.livestream.common.registry;

/** What {@link StreamRegistry#goLive(String, int)} answers a publish. */
public sealed interface GoLive {
    /** Live under {@code sessionId}: a new session, or the previous one resumed within its reconnect grace. */
    record Started(String sessionId) implements GoLive {}

    /** Live already, with a connected publisher: a second publisher is refused. */
    record AlreadyLive() implements GoLive {}

    /** The broadcaster has {@code limit} live streams already. */
    record OverLiveQuota(int limit) implements GoLive {}

    record Unknown() implements GoLive {}
}
