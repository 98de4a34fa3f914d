package io.livestream.edge.server;

import java.util.HashMap;
import java.util.Map;

/** Counts open connections per remote address and in total; a connection over either limit is refused. */
final class ConnectionLimiter {
    private final int maxPerAddress;
    private final int maxTotal;
    private final Map<String, Integer> open = new HashMap<>();
    private int total;

    ConnectionLimiter(int maxPerAddress, int maxTotal) {
        this.maxPerAddress = maxPerAddress;
        this.maxTotal = maxTotal;
    }

    synchronized boolean tryAcquire(String address) {
        int current = open.getOrDefault(address, 0);
        if (current >= maxPerAddress || total >= maxTotal) return false;
        open.put(address, current + 1);
        total++;
        return true;
    }

    synchronized void release(String address) {
        Integer current = open.get(address);
        if (current == null) return;
        if (current <= 1) open.remove(address);
        else open.put(address, current - 1);
        total--;
    }
}
