package io.livestream.chat.room;

import io.livestream.chat.metrics.ChatMetrics;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatRejected;
import io.netty.channel.EventLoop;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms of one gateway: which sockets watch which stream. A chat event from the bus is encoded once and
 * handed to every socket of its room; a refusal goes only to the connection named by its origin, if it is ours.
 */
public final class ChatRooms {
    private final String gatewayId;
    private final RoomSubscriptions subscriptions;
    private final ConcurrentHashMap<String, Set<ChatConnection>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ChatConnection> connections = new ConcurrentHashMap<>();
    /** The same sockets by the loop that owns them: each loop fans a room out to its own sockets. */
    private final ConcurrentHashMap<EventLoop, LoopFanout> loops = new ConcurrentHashMap<>();
    private final ChatMetrics metrics;
    private final long coalesceMs;

    /** Rooms fed by hand ({@link #dispatch}), following nothing, each frame sent at once: for tests. */
    public ChatRooms(String gatewayId) {
        this(gatewayId, RoomSubscriptions.NONE, 0);
    }

    /** @param coalesceMs how long a room's frames may wait to go to each socket together (0: at once) */
    public ChatRooms(String gatewayId, RoomSubscriptions subscriptions, long coalesceMs) {
        this.gatewayId = gatewayId;
        this.subscriptions = subscriptions;
        this.coalesceMs = coalesceMs;
        this.metrics = new ChatMetrics(connections::size, rooms::size);
    }

    /** Which rooms' events reach this gateway: a post waiting for its verdict follows its room too. */
    public RoomSubscriptions subscriptions() {
        return subscriptions;
    }

    /** The gateway's metrics: sockets and rooms are read from here, deliveries and drops counted here. */
    public ChatMetrics metrics() {
        return metrics;
    }

    public String gatewayId() {
        return gatewayId;
    }

    /** "gatewayId/connectionId": where the chat job sends this connection's refusals. */
    public String originOf(ChatConnection c) {
        return gatewayId + "/" + c.id();
    }

    /** Joins the room; completes once the room's events reach this gateway (read its history after that). */
    public CompletableFuture<Void> join(ChatConnection c) {
        connections.put(c.id(), c);
        rooms.computeIfAbsent(c.streamId(), s -> ConcurrentHashMap.newKeySet()).add(c);
        loops.computeIfAbsent(c.eventLoop(), loop -> new LoopFanout(loop, coalesceMs)).add(c);
        return subscriptions.follow(c.streamId());
    }

    public void leave(ChatConnection c) {
        if (connections.remove(c.id()) == null) return; // never joined (closed during the upgrade), or left already
        subscriptions.unfollow(c.streamId());
        rooms.computeIfPresent(c.streamId(), (s, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
        loops.get(c.eventLoop()).remove(c);
    }

    public int size(String streamId) {
        Set<ChatConnection> room = rooms.get(streamId);
        return room == null ? 0 : room.size();
    }

    public int size() {
        return connections.size();
    }

    public void dispatch(ChatEvent event) {
        switch (event.type()) {
            case ChatEvent.MESSAGE -> broadcast(event.streamId(), event.message().messageId(), ChatFrames.message(event.message()));
            case ChatEvent.MODERATION -> broadcast(event.streamId(), null, ChatFrames.moderation(event.moderation()));
            case ChatEvent.REJECTED -> {
                ChatRejected r = event.rejected();
                ChatConnection c = connectionAt(r.origin());
                if (c != null) c.deliver(ChatFrames.error(r.reason(), r.detail(), r.retryAfterSeconds(), r.id()));
            }
            default -> { } // newer event types: older gateways ignore them
        }
    }

    /** Each loop with sockets in the room takes the frame on its next turn ({@link LoopFanout}). */
    private void broadcast(String streamId, String messageId, byte[] frame) {
        Set<ChatConnection> room = rooms.get(streamId);
        if (room == null) return;
        metrics.delivered(room.size());
        RoomFrames.Frame posted = new RoomFrames.Frame(streamId, messageId, frame);
        for (LoopFanout loop : loops.values()) {
            if (loop.serves(streamId)) loop.post(posted);
        }
    }

    private ChatConnection connectionAt(String origin) {
        if (origin == null || !origin.startsWith(gatewayId + "/")) return null;
        return connections.get(origin.substring(gatewayId.length() + 1));
    }
}
