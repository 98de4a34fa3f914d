package io.livestream.origin.http;

import io.livestream.common.http.ClientHeaders;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as route handlers see it: read once on the event loop, immutable and free of reference-counted buffers,
 * so it can go to another thread with the work.
 *
 * @param peerAddress the socket's remote address (the balancer's, behind one)
 */
public record OriginRequest(String method, String uri, Map<String, List<String>> query, HttpHeaders headers, byte[] body,
                            String peerAddress, boolean keepAlive) {
    public static OriginRequest of(FullHttpRequest request, SocketAddress remote) {
        Map<String, List<String>> query;
        try {
            query = Map.copyOf(new QueryStringDecoder(request.uri()).parameters());
        } catch (IllegalArgumentException e) {
            query = Map.of(); // the router refuses the path itself
        }
        String peer = remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : "";
        return new OriginRequest(request.method().name(), request.uri(), query, request.headers().copy(),
                ByteBufUtil.getBytes(request.content()), peer, HttpUtil.isKeepAlive(request));
    }

    public boolean isHead() {
        return method.equals("HEAD");
    }

    public String header(CharSequence name) {
        return headers.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Optional<String> bearerToken() {
        return ClientHeaders.bearerToken(header(HttpHeaderNames.AUTHORIZATION));
    }

    /** The client's address: the first X-Forwarded-For entry, else the peer. For viewer ids, never for authorisation. */
    public String clientIp() {
        return ClientHeaders.clientIp(header("X-Forwarded-For"), peerAddress);
    }
}
