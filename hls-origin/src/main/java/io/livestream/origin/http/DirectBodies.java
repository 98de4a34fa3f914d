package io.livestream.origin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Direct-memory copies of the stored media the origin sends (segments, parts, init segments), written to sockets as
 * they are. A socket write needs direct memory, so a heap body is copied into a fresh direct buffer on every answer:
 * 500 KB per segment, where nginx sends the file with no copy at all. A stored body never changes, so one copy serves
 * every answer. Bounded in bytes, least recently sent first out; an evicted copy is freed once the answers still
 * being written from it are done (each holds a reference). Thread-safe: the event loops share it.
 */
final class DirectBodies {
    /**
     * Enough for the newest segments and parts of a few hundred renditions (older ones are asked for rarely), and at
     * most a quarter of the heap's size: direct memory is capped at that size by default (384 MB in cluster mode).
     */
    static long defaultMaxBytes() {
        return Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * A stored body by identity: the store hands out the same array for the same body, and comparing contents would
     * cost what the copy saves. (A record's equals and hashCode use the array's own, which are identity.)
     */
    private record Body(byte[] bytes) {}

    private final long maxBytes;
    private final LinkedHashMap<Body, ByteBuf> copies = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    DirectBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A buffer over {@code body} in direct memory, for one answer: the caller (the write) releases it. */
    synchronized ByteBuf retained(byte[] body) {
        ByteBuf copy = copies.get(new Body(body));
        if (copy == null) {
            // unpooled: these live for minutes, which would pin whole chunks of the pooled allocator's arenas
            copy = UnpooledByteBufAllocator.DEFAULT.directBuffer(body.length).writeBytes(body);
            if (body.length > maxBytes) return copy; // too big to keep: this answer's own
            copies.put(new Body(body), copy);
            bytes += body.length;
            evictPast(maxBytes);
        }
        return copy.retainedDuplicate();
    }

    /** Bytes held now (for tests). */
    synchronized long bytes() {
        return bytes;
    }

    /** Frees every copy (the server stopped); answers still being written keep theirs until they are done. */
    synchronized void clear() {
        evictPast(0);
    }

    private void evictPast(long limit) {
        for (Iterator<Map.Entry<Body, ByteBuf>> it = copies.entrySet().iterator(); it.hasNext() && bytes > limit; ) {
            Map.Entry<Body, ByteBuf> eldest = it.next();
            bytes -= eldest.getKey().bytes().length;
            eldest.getValue().release();
            it.remove();
        }
    }
}
