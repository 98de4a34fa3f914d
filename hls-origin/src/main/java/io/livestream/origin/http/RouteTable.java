package io.livestream.origin.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which handler answers each kind of {@link Route}, and where it runs: on the event loop (memory only: HLS, pages),
 * on the bounded blocking executor (Redis, disk), or asynchronously (forwarding). One handler per route type.
 */
public final class RouteTable {
    public enum Where { EVENT_LOOP, BLOCKING, ASYNC }

    /** A handler with where it runs; exactly one of the two handler fields is set. */
    public record Entry(Where where, RouteHandler<Route> handler, AsyncRouteHandler<Route> async) {}

    private final Map<Class<? extends Route>, Entry> entries;

    private RouteTable(Map<Class<? extends Route>, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Entry> find(Route route) {
        return Optional.ofNullable(entries.get(route.getClass()));
    }

    public boolean handles(Class<? extends Route> type) {
        return entries.containsKey(type);
    }

    /** This table with {@code other}'s entries added; a route type in both is a wiring mistake. */
    public RouteTable with(RouteTable other) {
        Map<Class<? extends Route>, Entry> merged = new HashMap<>(entries);
        other.entries.forEach((type, entry) -> {
            if (merged.putIfAbsent(type, entry) != null) throw new IllegalStateException("two handlers for " + type.getSimpleName());
        });
        return new RouteTable(merged);
    }

    public static final class Builder {
        private final Map<Class<? extends Route>, Entry> entries = new HashMap<>();

        /** For handlers that touch memory only. */
        public <R extends Route> Builder onEventLoop(Class<R> type, RouteHandler<R> handler) {
            return add(type, new Entry(Where.EVENT_LOOP, cast(type, handler), null));
        }

        /** For handlers that call Redis or the disk: run on the bounded executor, 503 when it is full. */
        public <R extends Route> Builder blocking(Class<R> type, RouteHandler<R> handler) {
            return add(type, new Entry(Where.BLOCKING, cast(type, handler), null));
        }

        public <R extends Route> Builder async(Class<R> type, AsyncRouteHandler<R> handler) {
            return add(type, new Entry(Where.ASYNC, null, (route, request) -> handler.handle(type.cast(route), request)));
        }

        public RouteTable build() {
            return new RouteTable(entries);
        }

        private Builder add(Class<? extends Route> type, Entry entry) {
            if (entries.putIfAbsent(type, entry) != null) throw new IllegalStateException("two handlers for " + type.getSimpleName());
            return this;
        }

        private static <R extends Route> RouteHandler<Route> cast(Class<R> type, RouteHandler<R> handler) {
            return (route, request) -> handler.handle(type.cast(route), request);
        }
    }
}
