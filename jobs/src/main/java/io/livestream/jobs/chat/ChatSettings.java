package io.livestream.jobs.chat;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The chat rules' knobs.
 *
 * @param defaultSlowModeSeconds slow mode of a room no moderator has set (3 s as in the reference design)
 * @param duplicateWindowMs the same text from the same user inside this window is refused
 * @param blockedWords lower-case words; a message containing one as a word is refused
 */
public record ChatSettings(int defaultSlowModeSeconds, long duplicateWindowMs, int maxChars, List<String> blockedWords)
        implements Serializable {
    public static final ChatSettings DEFAULTS = new ChatSettings(3, 30_000, 500, List.of());

    public ChatSettings withBlockedWords(List<String> words) {
        return new ChatSettings(defaultSlowModeSeconds, duplicateWindowMs, maxChars,
                words.stream().map(w -> w.trim().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).toList());
    }

    public ChatSettings withDefaultSlowModeSeconds(int seconds) {
        return new ChatSettings(seconds, duplicateWindowMs, maxChars, blockedWords);
    }
}
