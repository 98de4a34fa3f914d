package io.livestream.jobs.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.events.StreamEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tier 1: the rules called directly on an in-memory room. */
class ChatRulesTest {
    static final long T0 = 1_700_000_000_000L;
    final ChatRules rules = new ChatRules(ChatSettings.DEFAULTS.withBlockedWords(List.of("Spam")));
    final MapRoomState room = new MapRoomState();
    int ids;

    ChatEvent say(String user, ChatRole role, String text, long at) {
        return rules.onMessage(ChatSubmitted.of("s1", "m" + (++ids), user, role, text, at, "gw/1"), room);
    }

    ChatEvent say(String user, String text, long at) {
        return say(user, ChatRole.VIEWER, text, at);
    }

    ChatEvent moderate(ChatRole role, String action, String target, String messageId, Integer seconds, long at) {
        return rules.onModeration(new ChatModeration(1, "s1", "a" + (++ids), action, "mod", role.wire(), target, messageId,
                seconds, at, "gw/2"), room);
    }

    static void assertRejected(ChatEvent e, String reason, Integer retryAfter) {
        assertThat(e.type()).isEqualTo(ChatEvent.REJECTED);
        assertThat(e.rejected().reason()).isEqualTo(reason);
        assertThat(e.rejected().retryAfterSeconds()).isEqualTo(retryAfter);
        assertThat(e.rejected().origin()).isNotNull();
    }

    @Test
    void defaultSlowModeOfThreeSecondsRefusesWithTheSecondsLeft() {
        assertThat(say("ann", "hello", T0).type()).isEqualTo(ChatEvent.MESSAGE);
        assertRejected(say("ann", "again", T0 + 1_200), ChatRejected.SLOW_MODE, 2);
        assertRejected(say("ann", "again", T0 + 2_001), ChatRejected.SLOW_MODE, 1);
        assertThat(say("ann", "again", T0 + 3_000).type()).isEqualTo(ChatEvent.MESSAGE);
        assertThat(say("bob", "hello", T0 + 1).type()).as("slow mode is per user").isEqualTo(ChatEvent.MESSAGE);
    }

    @Test
    void moderatorsSetSlowModeAndAreExemptFromIt() {
        assertThat(moderate(ChatRole.MODERATOR, ChatModeration.SLOW, null, null, 10, T0).type()).isEqualTo(ChatEvent.MODERATION);
        say("ann", "one", T0);
        assertRejected(say("ann", "two", T0 + 4_000), ChatRejected.SLOW_MODE, 6);
        assertThat(say("mod", ChatRole.MODERATOR, "a", T0).type()).isEqualTo(ChatEvent.MESSAGE);
        assertThat(say("mod", ChatRole.MODERATOR, "b", T0 + 1).type()).isEqualTo(ChatEvent.MESSAGE);
        moderate(ChatRole.BROADCASTER, ChatModeration.SLOW, null, null, 0, T0 + 4_500);
        assertThat(say("ann", "three", T0 + 4_600).type()).isEqualTo(ChatEvent.MESSAGE);
    }

    @Test
    void theSameTextWithinThirtySecondsIsADuplicate() {
        say("ann", "Hello  World", T0);
        assertRejected(say("ann", "hello world", T0 + 10_000), ChatRejected.DUPLICATE, null);
        assertThat(say("bob", "hello world", T0 + 10_000).type()).isEqualTo(ChatEvent.MESSAGE);
        assertThat(say("ann", "hello world", T0 + 30_000).type()).isEqualTo(ChatEvent.MESSAGE);
    }

    @Test
    void banTimeoutAndUnban() {
        moderate(ChatRole.MODERATOR, ChatModeration.BAN, "ann", null, null, T0);
        assertRejected(say("ann", "hi", T0 + 1), ChatRejected.BANNED, null);
        moderate(ChatRole.MODERATOR, ChatModeration.UNBAN, "ann", null, null, T0 + 2);
        assertThat(say("ann", "hi", T0 + 3).type()).isEqualTo(ChatEvent.MESSAGE);
        moderate(ChatRole.MODERATOR, ChatModeration.TIMEOUT, "bob", null, 60, T0);
        assertRejected(say("bob", "hi", T0 + 20_500), ChatRejected.TIMED_OUT, 40);
        assertThat(say("bob", "hi", T0 + 60_000).type()).isEqualTo(ChatEvent.MESSAGE);
    }

    @Test
    void viewersCannotModerateAndActionsAreValidated() {
        assertRejected(moderate(ChatRole.VIEWER, ChatModeration.BAN, "bob", null, null, T0), ChatRejected.FORBIDDEN, null);
        assertThat(room.banned).isEmpty();
        assertRejected(moderate(ChatRole.MODERATOR, ChatModeration.SLOW, null, null, 2, T0), ChatRejected.INVALID, null);
        assertRejected(moderate(ChatRole.MODERATOR, ChatModeration.SLOW, null, null, 121, T0), ChatRejected.INVALID, null);
        assertRejected(moderate(ChatRole.MODERATOR, ChatModeration.TIMEOUT, "bob", null, 0, T0), ChatRejected.INVALID, null);
        assertRejected(moderate(ChatRole.MODERATOR, ChatModeration.TIMEOUT, "bob", null, 14 * 24 * 3600 + 1, T0), ChatRejected.INVALID, null);
        assertThat(moderate(ChatRole.MODERATOR, ChatModeration.TIMEOUT, "bob", null, 14 * 24 * 3600, T0).type()).isEqualTo(ChatEvent.MODERATION);
        assertThat(moderate(ChatRole.MODERATOR, ChatModeration.DELETE, null, "m1", null, T0).type()).isEqualTo(ChatEvent.MODERATION);
        assertThat(moderate(ChatRole.MODERATOR, ChatModeration.CLEAR, null, null, null, T0).type()).isEqualTo(ChatEvent.MODERATION);
    }

    @Test
    void tooLongAndBlockedWordsAreRefused() {
        assertRejected(say("ann", "x".repeat(501), T0), ChatRejected.TOO_LONG, null);
        assertThat(say("ann", "\uD83D\uDE00".repeat(500), T0).type()).as("500 code points, 1000 chars").isEqualTo(ChatEvent.MESSAGE);
        assertRejected(say("bob", "buy SPAM now", T0), ChatRejected.BLOCKED_WORD, null);
        assertThat(say("bob", "spammer", T0).type()).as("whole words only").isEqualTo(ChatEvent.MESSAGE);
        assertThat(room.lastMessage).containsOnlyKeys("ann", "bob");
    }

    @Test
    void acceptedMessagesCarryTheStreamTime() {
        assertThat(say("ann", "before", T0).message().streamTime()).isNull();
        rules.onStreamEvent(StreamEvent.of(StreamEvent.LIVE, "s1", "sess", T0 + 10_000, null), room);
        assertThat(say("ann", "live", T0 + 72_500).message().streamTime()).isEqualTo(62.5);
        rules.onStreamEvent(StreamEvent.of(StreamEvent.ENDED, "s1", "sess", T0 + 80_000, "api"), room);
        assertThat(say("ann", "after", T0 + 90_000).message().streamTime()).isNull();
    }

    /** The room in maps, as a test double of the Flink state. */
    static final class MapRoomState implements ChatRoomState {
        Integer slow;
        Long liveSince;
        final Set<String> banned = new HashSet<>();
        final Map<String, Long> timeouts = new HashMap<>();
        final Map<String, Long> lastMessage = new HashMap<>();
        final Map<String, Long> texts = new HashMap<>();

        @Override public Integer slowModeSeconds() { return slow; }
        @Override public void setSlowModeSeconds(int seconds) { slow = seconds; }
        @Override public boolean isBanned(String user) { return banned.contains(user); }
        @Override public void setBanned(String user, boolean b) { if (b) banned.add(user); else banned.remove(user); }
        @Override public Long timedOutUntil(String user) { return timeouts.get(user); }
        @Override public void setTimedOutUntil(String user, Long until) { if (until == null) timeouts.remove(user); else timeouts.put(user, until); }
        @Override public Long lastMessageAt(String user) { return lastMessage.get(user); }
        @Override public void setLastMessageAt(String user, long at) { lastMessage.put(user, at); }
        @Override public Long textSentAt(String key) { return texts.get(key); }
        @Override public void setTextSentAt(String key, long at) { texts.put(key, at); }
        @Override public Long liveSince() { return liveSince; }
        @Override public void setLiveSince(Long at) { liveSince = at; }
    }
}
