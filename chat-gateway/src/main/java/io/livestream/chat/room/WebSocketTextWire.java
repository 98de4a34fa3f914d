package io.livestream.chat.room;

import io.netty.buffer.ByteBuf;

/**
 * A server's text frame as RFC 6455 (section 5.2) puts it on the wire: final, unmasked, the payload length in 7, 16 or
 * 64 bits. What Netty's WebSocket13FrameEncoder writes for a {@code TextWebSocketFrame}, done here once per room
 * message instead of once per socket, so the bytes can be shared by every socket of the room.
 */
public final class WebSocketTextWire {
    private static final int FIN_TEXT = 0x81;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;

    /** The bytes {@link #append} writes for a payload of this size. */
    public static int size(int payloadLength) {
        return headerSize(payloadLength) + payloadLength;
    }

    public static void append(ByteBuf out, byte[] payload) {
        out.writeByte(FIN_TEXT);
        if (payload.length < LENGTH_16) {
            out.writeByte(payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.writeByte(LENGTH_16);
            out.writeShort(payload.length);
        } else {
            out.writeByte(LENGTH_64);
            out.writeLong(payload.length);
        }
        out.writeBytes(payload);
    }

    private static int headerSize(int payloadLength) {
        return payloadLength < LENGTH_16 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    private WebSocketTextWire() {}
}
