package io.livestream.origin.http;

/** Sees every routed request before it is answered and answers nothing (viewer heartbeats from playlist requests). Runs on an event loop: must not block. */
@FunctionalInterface
public interface RouteObserver {
    void observe(Route route, OriginRequest request);
}
