package io.livestream.origin.http;

import java.util.concurrent.CompletionStage;

/** Answers one kind of {@link Route} later without holding a thread (forwarding to another service). Called on an event loop. */
@FunctionalInterface
public interface AsyncRouteHandler<R extends Route> {
    CompletionStage<Resource> handle(R route, OriginRequest request);
}
