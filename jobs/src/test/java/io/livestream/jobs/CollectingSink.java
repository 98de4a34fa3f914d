package io.livestream.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A sink for MiniCluster tests: collects into a JVM-wide list under a name (the sink itself is serialized). */
public final class CollectingSink<T> implements Sink<T> {
    private static final ConcurrentHashMap<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();
    private final String name;

    public CollectingSink(String name) {
        this.name = name;
        COLLECTED.put(name, new CopyOnWriteArrayList<>());
    }

    @SuppressWarnings("unchecked")
    public List<T> collected() {
        return new ArrayList<>((List<T>) COLLECTED.get(name));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> target = COLLECTED.get(name);
        return new SinkWriter<>() {
            @Override public void write(T element, Context ctx) { target.add(element); }
            @Override public void flush(boolean endOfInput) { }
            @Override public void close() { }
        };
    }
}
