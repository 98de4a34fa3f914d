package io.livestream.origin.http;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Extra routes served by the origin's HTTP server (the control API, recordings). Asked before the HLS routes, in
 * order; an extension answers only the requests it owns. Runs on an event loop and must not throw for client errors.
 */
@FunctionalInterface
public interface HttpExtension {
    /** The response to {@code request}, or null if this extension does not own its path. */
    Resource handle(FullHttpRequest request);
}
