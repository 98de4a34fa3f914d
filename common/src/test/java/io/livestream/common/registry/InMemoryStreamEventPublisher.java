package io.livestream.common.registry;

import io.livestream.common.events.StreamEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps published events in order, for tests. */
public final class InMemoryStreamEventPublisher implements StreamEventPublisher {
    private final List<StreamEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(StreamEvent event) {
        events.add(event);
    }

    /** A snapshot of the events published so far, oldest first. */
    public List<StreamEvent> events() {
        return List.copyOf(events);
    }

    public List<String> types() {
        return events.stream().map(StreamEvent::type).toList();
    }

    public void clear() {
        events.clear();
    }
}
