package io.livestream.chat.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Any frame payload is accepted exactly when it is valid UTF-8 within the size limit, else refused with its code. */
class InboundTextFuzzTest {
    private static final int MAX_FRAME_BYTES = 512;

    @FuzzTest(maxDuration = "3s")
    void acceptsExactlyTheValidUtf8FramesWithinTheLimit(byte[] payload) {
        InboundText.Result result = InboundText.check(payload, MAX_FRAME_BYTES);
        // Java's lenient decoder replaces malformed input, so only valid UTF-8 survives a decode and encode unchanged
        boolean validUtf8 = java.util.Arrays.equals(new String(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), payload);
        if (payload.length > MAX_FRAME_BYTES) {
            assertThat(result).isEqualTo(new InboundText.Refused("frame_too_large", "frames are at most " + MAX_FRAME_BYTES + " bytes"));
        } else if (!validUtf8) {
            assertThat(result).isInstanceOfSatisfying(InboundText.Refused.class, r -> assertThat(r.code()).isEqualTo("invalid_utf8"));
        } else {
            assertThat(result).isInstanceOfSatisfying(InboundText.Ok.class, ok -> {
                assertThat(ok.text().getBytes(StandardCharsets.UTF_8)).isEqualTo(payload);
                assertThat(InboundText.chars(ok.text())).isBetween(0, payload.length);
            });
        }
    }
}
