package io.livestream.origin.http;

/** Answers one kind of {@link Route}. Throws {@link HttpError} to refuse; where it runs is decided in {@link RouteTable}. */
@FunctionalInterface
public interface RouteHandler<R extends Route> {
    Resource handle(R route, OriginRequest request);
}
