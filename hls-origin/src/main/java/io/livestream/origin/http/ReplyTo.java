package io.livestream.origin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * What writing an answer needs from its request: whether it was HEAD (no body), whether the connection stays open,
 * and the conditional and range headers. A request answered later (a held LL-HLS reload) keeps this instead of
 * itself, so waiting costs four fields, not the request's headers and buffers.
 */
record ReplyTo(boolean head, boolean keepAlive, String ifNoneMatch, String range) {
    /** Nearly every request: a plain GET on a kept-alive connection, one instance for all of them. */
    private static final ReplyTo PLAIN_GET = new ReplyTo(false, true, null, null);

    static ReplyTo of(HttpRequest request) {
        ReplyTo to = new ReplyTo(HttpMethod.HEAD.equals(request.method()), HttpUtil.isKeepAlive(request),
                request.headers().get(HttpHeaderNames.IF_NONE_MATCH), request.headers().get(HttpHeaderNames.RANGE));
        return to.equals(PLAIN_GET) ? PLAIN_GET : to;
    }
}
