package io.livestream.chat.room;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sockets of one event loop, by room, and the room frames waiting for that loop. Frames posted from other threads
 * wait in a queue that one task drains: an idle loop takes each frame at once, a busy one finds several waiting and
 * gives each socket all of them in one write and one flush. So under load the loop's cost per socket is per turn,
 * not per message, and a backlog shrinks instead of growing. With a coalescing window the first frame of a quiet loop
 * waits that long for the ones after it, so a busy room costs a write per socket per window, not per message.
 */
final class LoopFanout {
    private final EventLoop loop;
    private final ConcurrentHashMap<String, Set<ChatConnection>> rooms = new ConcurrentHashMap<>();
    private final Queue<RoomFrames.Frame> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final long coalesceMs;

    LoopFanout(EventLoop loop, long coalesceMs) {
        this.loop = loop;
        this.coalesceMs = coalesceMs;
    }

    void add(ChatConnection c) {
        rooms.computeIfAbsent(c.streamId(), s -> ConcurrentHashMap.newKeySet()).add(c);
    }

    void remove(ChatConnection c) {
        rooms.computeIfPresent(c.streamId(), (s, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }

    boolean serves(String streamId) {
        return rooms.containsKey(streamId);
    }

    /** From any thread; without a coalescing window, on this loop itself the frame (and any before it) goes out at once. */
    void post(RoomFrames.Frame frame) {
        pending.add(frame);
        if (coalesceMs > 0) {
            if (scheduled.compareAndSet(false, true)) loop.schedule(this::drainScheduled, coalesceMs, TimeUnit.MILLISECONDS);
        } else if (loop.inEventLoop()) {
            drain();
        } else if (scheduled.compareAndSet(false, true)) {
            loop.execute(this::drainScheduled);
        }
    }

    private void drainScheduled() {
        scheduled.set(false); // before draining: a frame added after this schedules a drain of its own
        drain();
    }

    private void drain() {
        Map<String, List<RoomFrames.Frame>> byRoom = new LinkedHashMap<>();
        for (RoomFrames.Frame f; (f = pending.poll()) != null; ) byRoom.computeIfAbsent(f.streamId(), r -> new ArrayList<>()).add(f);
        byRoom.forEach((streamId, frames) -> {
            Set<ChatConnection> sockets = rooms.get(streamId);
            if (sockets == null) return;
            RoomFrames batch = new RoomFrames(frames);
            try {
                for (ChatConnection c : sockets) c.deliverLive(batch);
            } finally {
                batch.release();
            }
        });
    }
}
