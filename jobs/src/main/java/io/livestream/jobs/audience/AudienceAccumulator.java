package io.livestream.jobs.audience;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** A window's distinct viewers of one stream, in total and per rendition. */
public final class AudienceAccumulator implements Serializable {
    public final AudienceDistinctCounter total = new AudienceDistinctCounter();
    public final Map<String, AudienceDistinctCounter> byRendition = new HashMap<>();

    public void add(String viewerId, String rendition) {
        total.add(viewerId);
        if (rendition != null) byRendition.computeIfAbsent(rendition, r -> new AudienceDistinctCounter()).add(viewerId);
    }

    public AudienceAccumulator merge(AudienceAccumulator other) {
        total.merge(other.total);
        other.byRendition.forEach((r, c) -> byRendition.computeIfAbsent(r, x -> new AudienceDistinctCounter()).merge(c));
        return this;
    }
}
