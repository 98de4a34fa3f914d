package io.livestream.jobs.functions;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/** Distinct viewer ids: an exact set up to {@value #EXACT_LIMIT}, then a {@link AudienceHyperLogLog} sketch. */
public final class AudienceDistinctCounter implements Serializable {
    public static final int EXACT_LIMIT = 10_000;

    private Set<String> exact = new HashSet<>();
    private AudienceHyperLogLog sketch;

    public void add(String viewerId) {
        if (sketch != null) {
            sketch.add(viewerId);
        } else if (exact.add(viewerId) && exact.size() > EXACT_LIMIT) {
            toSketch();
        }
    }

    public void merge(AudienceDistinctCounter other) {
        if (other.sketch != null) {
            if (sketch == null) toSketch();
            sketch.merge(other.sketch);
        } else {
            other.exact.forEach(this::add);
        }
    }

    public long count() {
        return sketch != null ? sketch.estimate() : exact.size();
    }

    public boolean isExact() {
        return sketch == null;
    }

    private void toSketch() {
        sketch = new AudienceHyperLogLog();
        exact.forEach(sketch::add);
        exact = new HashSet<>();
    }
}
