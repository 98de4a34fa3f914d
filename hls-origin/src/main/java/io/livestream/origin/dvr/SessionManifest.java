package io.livestream.origin.dvr;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code session.json}: what a recorded session is. Rewritten (write-then-rename) only when it changes: a new
 * rendition, the END, a resumed session. Segment durations live in each rendition's {@code segments.log}.
 *
 * @param startedAt epoch ms of the first segment's first frame
 * @param endedAt epoch ms the session's output ended (END record), null while open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionManifest(int v, String streamId, String sessionId, long startedAt, Long endedAt,
                              Map<String, RenditionMeta> renditions) {
    public static final int VERSION = 1;

    /** What the master playlist needs of a rendition. */
    public record RenditionMeta(String codecs, int width, int height, double frameRate, long bandwidth) {}

    public SessionManifest {
        renditions = new TreeMap<>(renditions);
    }

    SessionManifest withRendition(String name, RenditionMeta meta) {
        Map<String, RenditionMeta> next = new TreeMap<>(renditions);
        next.put(name, meta);
        return new SessionManifest(v, streamId, sessionId, startedAt, endedAt, next);
    }

    SessionManifest withEndedAt(Long at) {
        return new SessionManifest(v, streamId, sessionId, startedAt, at, renditions);
    }
}
