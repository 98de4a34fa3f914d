package io.livestream.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.chat.ChatRole;
import io.livestream.common.time.FakeClock;
import org.junit.jupiter.api.Test;

class ChatTokensTest {
    final FakeClock clock = new FakeClock(1_700_000_000_000L);
    final ChatTokens tokens = new ChatTokens("0123456789abcdef-secret", clock);

    @Test
    void issuedTokensVerifyUntilTheyExpire() {
        String token = tokens.issue("ann", ChatRole.MODERATOR, "s1", 60);
        ChatIdentity id = tokens.verify(token).orElseThrow();
        assertThat(id.user()).isEqualTo("ann");
        assertThat(id.role()).isEqualTo(ChatRole.MODERATOR);
        assertThat(id.roleIn("s1")).isEqualTo(ChatRole.MODERATOR);
        assertThat(id.roleIn("s2")).as("moderator only in its own stream").isEqualTo(ChatRole.VIEWER);
        clock.advance(59_000);
        assertThat(tokens.verify(token)).isPresent();
        clock.advance(1_000);
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void tamperedOrForeignTokensAreRefused() {
        String token = tokens.issue("ann", ChatRole.VIEWER, null, 60);
        String body = token.substring(0, token.indexOf('.'));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(body)).replace("viewer", "broadcaster").getBytes());
        assertThat(tokens.verify(forged + token.substring(token.indexOf('.')))).isEmpty();
        assertThat(new ChatTokens("another-secret-of-16+", clock).verify(token)).isEmpty();
        assertThat(tokens.verify("garbage")).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void userNamesAndRolesAreChecked() {
        assertThatThrownBy(() -> tokens.issue("no spaces", ChatRole.VIEWER, null, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("ann", ChatRole.BROADCASTER, null, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatTokens("short", clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
