package io.livestream.jobs.media;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The renditions a stream is transcoded to, parsed from e.g. {@code source,720p:2800,480p:1400,360p:800}. */
public record Ladder(List<Rung> rungs) implements Serializable {
    public static final String DEFAULT_SPEC = "source,720p:2800,480p:1400,360p:800";

    public Ladder {
        rungs = List.copyOf(rungs);
        if (rungs.isEmpty()) throw new IllegalArgumentException("empty ladder");
    }

    public static Ladder defaults() {
        return parse(DEFAULT_SPEC);
    }

    public static Ladder parse(String spec) {
        List<Rung> rungs = new ArrayList<>();
        for (String item : spec.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) continue;
            if (s.equals(Rung.SOURCE)) {
                rungs.add(Rung.source());
                continue;
            }
            String[] parts = s.split(":");
            if (parts.length != 2 || !parts[0].endsWith("p")) {
                throw new IllegalArgumentException("ladder rung must look like 720p:2800, got '" + s + "'");
            }
            rungs.add(Rung.encoded(Integer.parseInt(parts[0].substring(0, parts[0].length() - 1)), Integer.parseInt(parts[1])));
        }
        return new Ladder(rungs);
    }

    /**
     * The rungs that apply to a source of this height: never upscale, and where the source itself is a rung, no
     * re-encode at the source's own height either (it would cost a full-size encode to add nothing a player needs).
     */
    public List<Rung> rungsFor(int sourceHeight) {
        boolean hasSource = rungs.stream().anyMatch(Rung::passthrough);
        return rungs.stream()
                .filter(r -> r.passthrough() || r.height() < sourceHeight || (!hasSource && r.height() == sourceHeight))
                .toList();
    }

    @Override
    public String toString() {
        return String.join(",", rungs.stream().map(Rung::toString).toList());
    }
}
