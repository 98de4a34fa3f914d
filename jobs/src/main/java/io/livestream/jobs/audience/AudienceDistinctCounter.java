package io.livestream.jobs.audience;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.WritableMemory;

/**
 * Distinct viewer ids: an exact set up to {@value #EXACT_LIMIT}, then an Apache DataSketches HLL sketch
 * (lgK {@value #LG_K}: a relative standard error of about 0.8 %).
 *
 * <p>The sketch works in place in {@link #sketchImage}, its updatable serialized form, so the state serializer
 * (Kryo, field by field; the sketch handle is transient) keeps an image it can restore from without the sketch
 * classes being serializable.
 */
public final class AudienceDistinctCounter implements Serializable {
    public static final int EXACT_LIMIT = 10_000;
    static final int LG_K = 14;
    private static final TgtHllType TYPE = TgtHllType.HLL_8; // one byte per bucket: no auxiliary memory to grow

    private Set<String> exact = new HashSet<>();
    private byte[] sketchImage;
    private transient HllSketch sketch;

    public void add(String viewerId) {
        if (sketchImage != null) {
            sketch().update(viewerId);
        } else if (exact.add(viewerId) && exact.size() > EXACT_LIMIT) {
            toSketch();
        }
    }

    public void merge(AudienceDistinctCounter other) {
        if (other.sketchImage != null) {
            if (sketchImage == null) toSketch();
            Union union = new Union(LG_K);
            union.update(sketch());
            union.update(other.sketch());
            adopt(union.getResult(TYPE));
        } else {
            other.exact.forEach(this::add);
        }
    }

    public long count() {
        return sketchImage != null ? Math.round(sketch().getEstimate()) : exact.size();
    }

    public boolean isExact() {
        return sketchImage == null;
    }

    private HllSketch sketch() {
        if (sketch == null) sketch = HllSketch.writableWrap(WritableMemory.writableWrap(sketchImage));
        return sketch;
    }

    private void toSketch() {
        sketchImage = new byte[HllSketch.getMaxUpdatableSerializationBytes(LG_K, TYPE)];
        sketch = new HllSketch(LG_K, TYPE, WritableMemory.writableWrap(sketchImage));
        exact.forEach(sketch::update);
        exact = new HashSet<>();
    }

    /**
     * Makes a union's result this counter's. Both sides held over {@value #EXACT_LIMIT} ids, so the result is in HLL
     * mode, whose updatable image has its full, final size: updates in place never need more memory.
     */
    private void adopt(HllSketch result) {
        sketchImage = result.toUpdatableByteArray();
        sketch = null;
    }
}
