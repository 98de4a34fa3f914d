package io.livestream.chat.limits;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The checks on a client's text frame before it is parsed: size, then UTF-8 validity. */
public final class InboundText {
    public sealed interface Result permits Ok, Refused {}

    public record Ok(String text) implements Result {}

    /** @param code frame_too_large or invalid_utf8 */
    public record Refused(String code, String message) implements Result {}

    private InboundText() {}

    public static Result check(byte[] payload, int maxFrameBytes) {
        if (payload.length > maxFrameBytes) {
            return new Refused("frame_too_large", "frames are at most " + maxFrameBytes + " bytes");
        }
        try {
            return new Ok(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString());
        } catch (CharacterCodingException e) {
            return new Refused("invalid_utf8", "frames must be valid UTF-8");
        }
    }

    /** Message length in characters as users count them (code points, so an emoji is one). */
    public static int chars(String text) {
        return text.codePointCount(0, text.length());
    }
}
