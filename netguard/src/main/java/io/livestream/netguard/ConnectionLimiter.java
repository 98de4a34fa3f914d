package io.livestream.netguard;

import java.util.HashMap;
import java.util.Map;

/** Counts open connections per remote address and in total; a connection over either limit is refused. */
public final class ConnectionLimiter {
    /** Why a connection was refused. */
    public enum Refusal { PER_ADDRESS, TOTAL }

    private final ConnectionLimits limits;
    private final Map<String, Integer> open = new HashMap<>();
    private int total;

    public ConnectionLimiter(ConnectionLimits limits) {
        this.limits = limits;
    }

    /** Takes a place for {@code address}; null when admitted (call {@link #release} when it closes), else why not. */
    public synchronized Refusal tryAcquire(String address) {
        int current = open.getOrDefault(address, 0);
        if (total >= limits.maxTotal()) return Refusal.TOTAL;
        if (current >= limits.maxPerAddress()) return Refusal.PER_ADDRESS;
        open.put(address, current + 1);
        total++;
        return null;
    }

    public synchronized void release(String address) {
        Integer current = open.get(address);
        if (current == null) return;
        if (current <= 1) open.remove(address);
        else open.put(address, current - 1);
        total--;
    }

    public synchronized int open(String address) {
        return open.getOrDefault(address, 0);
    }

    public synchronized int total() {
        return total;
    }
}
