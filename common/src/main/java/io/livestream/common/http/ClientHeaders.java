package io.livestream.common.http;

import java.util.Optional;

/** What the services read from request headers, in one place: the bearer token and the client's address. Pure. */
public final class ClientHeaders {
    private static final String BEARER = "Bearer ";
    private static final int MAX_TOKEN = 4096;

    /** The token of {@code Authorization: Bearer <token>} (scheme case-insensitive), or empty. */
    public static Optional<String> bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) return Optional.empty();
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() || token.length() > MAX_TOKEN ? Optional.empty() : Optional.of(token);
    }

    /**
     * The client's address: the first {@code X-Forwarded-For} entry (set by the balancer or CDN in front), else the
     * socket's peer. Only as trustworthy as the proxy in front: it is used for viewer ids, never for authorisation.
     */
    public static String clientIp(String xForwardedFor, String peerAddress) {
        if (xForwardedFor != null && !xForwardedFor.isBlank()) {
            String first = xForwardedFor.split(",", 2)[0].trim();
            if (!first.isEmpty()) return first;
        }
        return peerAddress == null ? "" : peerAddress;
    }

    /** The {@code X-Forwarded-For} a proxy sends on: what came in, with the peer it came from appended. */
    public static String appendForwardedFor(String xForwardedFor, String peerAddress) {
        if (xForwardedFor == null || xForwardedFor.isBlank()) return peerAddress;
        return xForwardedFor + ", " + peerAddress;
    }

    private ClientHeaders() {}
}
