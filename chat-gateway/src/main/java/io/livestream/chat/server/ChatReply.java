package io.livestream.chat.server;

import io.netty.handler.codec.http.HttpResponseStatus;

/** An HTTP answer of the gateway: status, a JSON body and an optional Retry-After. */
record ChatReply(HttpResponseStatus status, Object body, Integer retryAfter) {
    ChatReply(HttpResponseStatus status, Object body) {
        this(status, body, null);
    }

    static ChatReply ok(Object body) {
        return new ChatReply(HttpResponseStatus.OK, body);
    }

    ChatReply withRetryAfter(int seconds) {
        return new ChatReply(status, body, seconds);
    }
}
