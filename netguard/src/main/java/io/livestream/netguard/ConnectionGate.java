package io.livestream.netguard;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Admits a new connection if the {@link ConnectionLimits} allow it and closes it at once if not, with one
 * rate-limited log line per kind of refusal (so a flood from many addresses is one line too). Shared by the
 * channel initializers of a server; thread-safe.
 */
public final class ConnectionGate {
    private final String service;
    private final ConnectionLimits limits;
    private final ConnectionLimiter limiter;
    private final RateLimitedLog log;

    public ConnectionGate(String service, ConnectionLimits limits, RateLimitedLog log) {
        this.service = service;
        this.limits = limits;
        this.limiter = new ConnectionLimiter(limits);
        this.log = log;
    }

    /** True if {@code ch} may stay (its place is given back when it closes); false if it was over a limit and is closed. */
    public boolean admit(Channel ch) {
        String address = address(ch.remoteAddress());
        ConnectionLimiter.Refusal refusal = limiter.tryAcquire(address);
        if (refusal == null) {
            ch.closeFuture().addListener(f -> limiter.release(address));
            return true;
        }
        if (refusal == ConnectionLimiter.Refusal.PER_ADDRESS) {
            log.event("per-address", "%s: refusing connections from %s: %d open from there, the per-address limit", service, address,
                    limits.maxPerAddress());
        } else {
            log.event("total", "%s: refusing connections: %d open, the limit", service, limits.maxTotal());
        }
        ch.close();
        return false;
    }

    /** Connections open now (for metrics and tests). */
    public int open() {
        return limiter.total();
    }

    static String address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }
}
