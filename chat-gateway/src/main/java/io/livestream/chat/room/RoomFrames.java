package io.livestream.chat.room;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * The room frames that one turn of an event loop delivers to each of its sockets in a room, oldest first: their JSON,
 * and the same frames as wire bytes ({@link WebSocketTextWire}), encoded once on first use and shared by every socket
 * (each writes a retained duplicate, so a room of thousands costs one encoding and no copy per socket).
 * Used on one event loop only; {@link #release} once every socket has had it.
 */
public final class RoomFrames {
    /** One frame for the room; messageId (null for moderation) lets a joining socket skip what its history held. */
    public record Frame(String streamId, String messageId, byte[] json) {}

    private final List<Frame> frames;
    private ByteBuf wire;

    public RoomFrames(List<Frame> frames) {
        this.frames = frames;
    }

    public List<Frame> frames() {
        return frames;
    }

    /** The frames as wire bytes, read-only for the caller: write {@code wire(alloc).retainedDuplicate()}. */
    public ByteBuf wire(ByteBufAllocator alloc) {
        if (wire == null) {
            int size = 0;
            for (Frame f : frames) size += WebSocketTextWire.size(f.json().length);
            wire = alloc.directBuffer(size, size);
            for (Frame f : frames) WebSocketTextWire.append(wire, f.json());
        }
        return wire;
    }

    public void release() {
        if (wire != null) wire.release();
        wire = null;
    }
}
