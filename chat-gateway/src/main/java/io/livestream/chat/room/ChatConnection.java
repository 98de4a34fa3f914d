package io.livestream.chat.room;

import io.livestream.chat.auth.ChatIdentity;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatRole;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One client socket in a room. Frames for it go through a bounded queue that fills only while the socket is not
 * writable (the client reads slower than the room talks); when the queue is full the client is dropped with a close
 * reason, so a slow client never holds up the others. Until its history is sent, live messages are held back and
 * the ones already in the history are skipped. All state is touched on the channel's event loop only.
 *
 * <p>Room frames come a loop turn's worth at a time ({@link RoomFrames}); a socket that has nothing queued or held back
 * writes the room's shared wire bytes, one write and one flush for all of them.
 */
public final class ChatConnection {
    public static final String TOO_SLOW = "too slow: outbound queue full";

    private final String id;
    private final String streamId;
    private final ChatIdentity identity;
    private final Channel channel;
    private final int maxQueued;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private List<Live> beforeHistory = new ArrayList<>();
    private boolean dropped;
    private ChannelOutboundInvoker wireOut;

    private record Live(String messageId, byte[] frame) {}

    private final Runnable onTooSlow;
    private final boolean rfc6455Wire;

    /** Frames leave as {@code TextWebSocketFrame}s for the pipeline to encode (tests read them so). */
    public ChatConnection(String id, String streamId, ChatIdentity identity, Channel channel, int maxQueued) {
        this(id, streamId, identity, channel, maxQueued, () -> {}, false);
    }

    /**
     * @param onTooSlow called once when the client is dropped for reading too slowly (counted in the metrics)
     * @param rfc6455Wire the socket's pipeline frames as RFC 6455 does (every handshake but the old draft 00), so room
     *     frames may go out as the room's shared wire bytes ({@link WebSocketTextWire}) past its encoder
     */
    public ChatConnection(String id, String streamId, ChatIdentity identity, Channel channel, int maxQueued, Runnable onTooSlow,
                          boolean rfc6455Wire) {
        this.onTooSlow = onTooSlow;
        this.rfc6455Wire = rfc6455Wire;
        this.id = id;
        this.streamId = streamId;
        this.identity = identity;
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    public String id() { return id; }

    public String streamId() { return streamId; }

    /** The loop that owns this socket: all of this connection's state is touched only there. */
    public EventLoop eventLoop() { return channel.eventLoop(); }

    /** Null for an anonymous reader. */
    public ChatIdentity identity() { return identity; }

    public ChatRole role() {
        return identity == null ? ChatRole.VIEWER : identity.roleIn(streamId);
    }

    /** Room frames (messages, moderation) of one loop turn, on this connection's loop ({@link LoopFanout}). */
    void deliverLive(RoomFrames batch) {
        if (dropped) return;
        if (rfc6455Wire && beforeHistory == null && queue.isEmpty() && channel.isWritable()) {
            wireOut().writeAndFlush(batch.wire(channel.alloc()).retainedDuplicate(), channel.voidPromise());
            return;
        }
        boolean wrote = false;
        for (RoomFrames.Frame f : batch.frames()) {
            if (beforeHistory == null) {
                wrote |= offer(f.json());
            } else if (beforeHistory.size() >= maxQueued) {
                drop(TOO_SLOW);
                return;
            } else {
                beforeHistory.add(new Live(f.messageId(), f.json()));
            }
        }
        if (wrote) channel.flush();
    }

    /**
     * Where the shared wire bytes enter the pipeline: at the WebSocket encoder, so they pass neither it nor the handlers
     * between it and the tail (the keep-alive watches reads, the HTTP metrics count HTTP answers), about a tenth of
     * a delivery's cost. The whole pipeline where there is no encoder (tests).
     */
    private ChannelOutboundInvoker wireOut() {
        if (wireOut == null) {
            ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
            wireOut = encoder != null ? encoder : channel;
        }
        return wireOut;
    }

    /** A frame for this client alone (errors, acknowledgements); not held back by the join. */
    public void deliver(byte[] frame) {
        onLoop(() -> {
            if (offer(frame)) channel.flush();
        });
    }

    /** Sends the history (oldest first), then the live frames that arrived meanwhile and are not in it. */
    public void completeJoin(List<ChatAccepted> history) {
        onLoop(() -> {
            if (beforeHistory == null) return;
            List<Live> held = beforeHistory;
            beforeHistory = null;
            offer(ChatFrames.history(history));
            Set<String> seen = new HashSet<>();
            history.forEach(m -> seen.add(m.messageId()));
            for (Live live : held) {
                if (live.messageId() == null || !seen.contains(live.messageId())) offer(live.frame());
            }
            channel.flush();
        });
    }

    /** Called by the handler when the socket becomes writable again. */
    public void drain() {
        while (!queue.isEmpty() && channel.isWritable()) write(queue.poll());
        channel.flush();
    }

    /** Closes with a policy-violation status and the reason, best effort past a full buffer. */
    public void close(WebSocketCloseStatus status, String reason) {
        onLoop(() -> {
            if (dropped) return;
            dropped = true;
            queue.clear();
            channel.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(ChannelFutureListener.CLOSE);
            // a client that does not read may never take the close frame either
            channel.eventLoop().schedule(() -> { channel.close(); }, 2, TimeUnit.SECONDS);
        });
    }

    public boolean isDropped() {
        return dropped;
    }

    private void drop(String reason) {
        if (!dropped) onTooSlow.run();
        close(WebSocketCloseStatus.POLICY_VIOLATION, reason);
    }

    /** Writes the frame (the caller flushes) or queues it behind others; true if written. */
    private boolean offer(byte[] frame) {
        if (dropped) return false;
        if (queue.isEmpty() && channel.isWritable()) {
            write(frame);
            return true;
        }
        if (queue.size() >= maxQueued) drop(TOO_SLOW);
        else queue.add(frame);
        return false;
    }

    private void write(byte[] frame) {
        channel.write(text(frame), channel.voidPromise());
    }

    private static TextWebSocketFrame text(byte[] frame) {
        return new TextWebSocketFrame(Unpooled.wrappedBuffer(frame));
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) task.run();
        else channel.eventLoop().execute(task);
    }
}
