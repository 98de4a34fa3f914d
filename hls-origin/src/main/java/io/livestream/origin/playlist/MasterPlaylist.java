package io.livestream.origin.playlist;

import java.util.Comparator;
import java.util.List;

/** A master (multivariant) playlist; variants are kept ordered by bandwidth, highest first, as players pick the first. */
public record MasterPlaylist(List<Variant> variants) {
    private static final Comparator<Variant> BANDWIDTH_DESCENDING =
            Comparator.comparingLong(Variant::bandwidth).reversed().thenComparing(Variant::uri);

    public MasterPlaylist {
        variants = variants.stream().sorted(BANDWIDTH_DESCENDING).toList();
    }
}
