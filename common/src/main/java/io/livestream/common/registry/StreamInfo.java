package io.livestream.common.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the registry knows about a stream. Deliberately has no field for the stream key or its hash, so
 * neither can leak through toString, logs or JSON.
 *
 * @param createdAt epoch milliseconds
 * @param currentSessionId the session of the ongoing broadcast, or of the last one once ended; null while idle
 * @param liveSince epoch milliseconds the current or last session went live; null while idle
 * @param endedAt epoch milliseconds the last session ended; null unless ended
 * @param endReason why the last session ended (unpublish, disconnect, api, timeout, deleted); null unless ended
 * @param ladder renditions to produce, e.g. [source, 720p, 480p, 360p]
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamInfo(String id, String title, String broadcasterId, long createdAt, StreamStatus status,
                         String currentSessionId, Long liveSince, Long endedAt, String endReason,
                         List<String> ladder) {
    public StreamInfo {
        ladder = List.copyOf(ladder);
    }

    public boolean isLive() {
        return status == StreamStatus.LIVE;
    }
}
