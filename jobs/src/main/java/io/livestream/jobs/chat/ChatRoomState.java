package io.livestream.jobs.chat;

/** The per-stream state the chat rules read and change; Flink keyed state in the job, maps in tests. */
public interface ChatRoomState {
    /** The slow-mode interval a moderator set, or null for the default. */
    Integer slowModeSeconds();

    void setSlowModeSeconds(int seconds);

    boolean isBanned(String user);

    void setBanned(String user, boolean banned);

    /** Epoch ms until which the user is timed out, or null. */
    Long timedOutUntil(String user);

    void setTimedOutUntil(String user, Long until);

    Long lastMessageAt(String user);

    void setLastMessageAt(String user, long at);

    /** When this user last sent this (normalized) text, or null. */
    Long textSentAt(String userAndText);

    void setTextSentAt(String userAndText, long at);

    Long liveSince();

    void setLiveSince(Long at);
}
