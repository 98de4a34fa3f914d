package io.livestream.netguard;

/**
 * How many connections a server holds open: from one remote address, and in all. Behind a balancer every client has
 * the balancer's address, so there the per-address limit is raised to the total and the balancer enforces its own.
 */
public record ConnectionLimits(int maxPerAddress, int maxTotal) {
    public ConnectionLimits {
        if (maxPerAddress < 1 || maxTotal < 1) throw new IllegalArgumentException("connection limits must be at least 1: " + maxPerAddress + ", " + maxTotal);
    }
}
