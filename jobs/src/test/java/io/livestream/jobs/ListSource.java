package io.livestream.jobs;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded test source replaying a list in order (run it at parallelism 1), then holding the job open for
 * {@code lingerMs} before one last element, so processing-time timers downstream get to fire.
 */
public final class ListSource {
    private static final ConcurrentHashMap<String, List<?>> LISTS = new ConcurrentHashMap<>();

    public static <T> DataGeneratorSource<T> of(String name, List<T> elements, T last, long lingerMs, TypeInformation<T> type) {
        List<T> all = new java.util.ArrayList<>(elements);
        all.add(last); // kept here, not in the lambda: the elements need not be serializable
        LISTS.put(name, all);
        int size = elements.size();
        GeneratorFunction<Long, T> generator = index -> {
            @SuppressWarnings("unchecked")
            List<T> list = (List<T>) LISTS.get(name);
            if (index >= size) Thread.sleep(lingerMs);
            return list.get(index.intValue());
        };
        return new DataGeneratorSource<>(generator, size + 1L, type);
    }

    private ListSource() {}
}
