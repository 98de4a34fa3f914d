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
    static ReplyTo of(HttpRequest request) {
        return new ReplyTo(HttpMethod.HEAD.equals(request.method()), HttpUtil.isKeepAlive(request),
                request.headers().get(HttpHeaderNames.IF_NONE_MATCH), request.headers().get(HttpHeaderNames.RANGE));
    }
}
