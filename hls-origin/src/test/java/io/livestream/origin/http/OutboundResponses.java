package io.livestream.origin.http;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Reads the next answer a handler wrote to an {@link EmbeddedChannel} as one {@link FullHttpResponse}: most go out
 * whole, stored media as a head and then its body (see {@link ResponseWriter}).
 */
final class OutboundResponses {
    /** The next answer, or null if nothing was written yet; the caller releases it. */
    static FullHttpResponse read(EmbeddedChannel channel) {
        Object first = channel.readOutbound();
        if (first == null || first instanceof FullHttpResponse) return (FullHttpResponse) first;
        HttpResponse head = (HttpResponse) first;
        LastHttpContent body = channel.readOutbound();
        return new DefaultFullHttpResponse(head.protocolVersion(), head.status(), body.content(), head.headers(), body.trailingHeaders());
    }

    private OutboundResponses() {}
}
