package io.livestream.jobs.chat;

import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.events.StreamEvent;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The chat's decisions, pure: a message or a moderator action plus the room's state in, one {@link ChatEvent} out.
 * Time is the gateway's receive time carried by the input, so the rules are deterministic and replayable.
 */
public final class ChatRules implements Serializable {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final ChatSettings settings;

    public ChatRules(ChatSettings settings) {
        this.settings = settings;
    }

    public ChatEvent onMessage(ChatSubmitted s, ChatRoomState state) {
        long now = s.receivedAt();
        String user = s.user();
        ChatRole role = ChatRole.parse(s.role());
        String text = s.text() == null ? "" : s.text();
        if (text.isBlank()) return reject(s, ChatRejected.INVALID, "empty message", null);
        if (text.codePointCount(0, text.length()) > settings.maxChars()) {
            return reject(s, ChatRejected.TOO_LONG, "messages are at most " + settings.maxChars() + " characters", null);
        }
        if (containsBlockedWord(text)) return reject(s, ChatRejected.BLOCKED_WORD, "message contains a blocked word", null);
        if (!role.canModerate()) {
            if (state.isBanned(user)) return reject(s, ChatRejected.BANNED, "you are banned from this chat", null);
            Long until = state.timedOutUntil(user);
            if (until != null && until > now) {
                int left = secondsLeft(until - now);
                return reject(s, ChatRejected.TIMED_OUT, "you are timed out for " + left + " more s", left);
            }
            int slow = slowModeSeconds(state);
            Long last = state.lastMessageAt(user);
            if (slow > 0 && last != null && now - last < slow * 1000L) {
                int left = secondsLeft(last + slow * 1000L - now);
                return reject(s, ChatRejected.SLOW_MODE, "slow mode: wait " + left + " s", left);
            }
        }
        String textKey = user + '\n' + normalize(text);
        Long sameTextAt = state.textSentAt(textKey);
        if (sameTextAt != null && now - sameTextAt < settings.duplicateWindowMs()) {
            return reject(s, ChatRejected.DUPLICATE, "same message sent less than "
                    + settings.duplicateWindowMs() / 1000 + " s ago", null);
        }
        state.setLastMessageAt(user, now);
        state.setTextSentAt(textKey, now);
        Long liveSince = state.liveSince();
        Double streamTime = liveSince == null ? null : Math.max(0, now - liveSince) / 1000.0;
        return ChatEvent.message(ChatAccepted.of(s, streamTime));
    }

    public ChatEvent onModeration(ChatModeration m, ChatRoomState state) {
        if (!ChatRole.parse(m.role()).canModerate()) {
            return ChatEvent.rejected(ChatRejected.of(m.streamId(), m.actionId(), m.moderator(), ChatRejected.FORBIDDEN,
                    "only moderators and the broadcaster may " + m.action(), null, m.receivedAt(), m.origin()));
        }
        String invalid = ChatModeration.invalidReason(m.action(), m.target(), m.messageId(), m.seconds());
        if (invalid != null) {
            return ChatEvent.rejected(ChatRejected.of(m.streamId(), m.actionId(), m.moderator(), ChatRejected.INVALID,
                    invalid, null, m.receivedAt(), m.origin()));
        }
        switch (m.action()) {
            case ChatModeration.BAN -> {
                state.setBanned(m.target(), true);
                state.setTimedOutUntil(m.target(), null);
            }
            case ChatModeration.UNBAN -> {
                state.setBanned(m.target(), false);
                state.setTimedOutUntil(m.target(), null);
            }
            case ChatModeration.TIMEOUT -> state.setTimedOutUntil(m.target(), m.receivedAt() + m.seconds() * 1000L);
            case ChatModeration.SLOW -> state.setSlowModeSeconds(m.seconds());
            default -> { } // delete and clear change the history, which the Redis writer does
        }
        return ChatEvent.moderation(m);
    }

    public void onStreamEvent(StreamEvent e, ChatRoomState state) {
        if (StreamEvent.LIVE.equals(e.type())) state.setLiveSince(e.at());
        else if (StreamEvent.ENDED.equals(e.type())) state.setLiveSince(null);
    }

    public int slowModeSeconds(ChatRoomState state) {
        Integer set = state.slowModeSeconds();
        return set != null ? set : settings.defaultSlowModeSeconds();
    }

    public ChatSettings settings() {
        return settings;
    }

    private boolean containsBlockedWord(String text) {
        if (settings.blockedWords().isEmpty()) return false;
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (settings.blockedWords().contains(word)) return true;
        }
        return false;
    }

    private static ChatEvent reject(ChatSubmitted s, String reason, String detail, Integer retryAfter) {
        return ChatEvent.rejected(ChatRejected.of(s.streamId(), s.messageId(), s.user(), reason, detail, retryAfter,
                s.receivedAt(), s.origin()));
    }

    private static int secondsLeft(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    static String normalize(String text) {
        return SPACES.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
    }
}
