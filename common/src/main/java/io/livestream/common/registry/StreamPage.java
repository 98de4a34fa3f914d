package io.livestream.common.registry;

import java.util.List;
import java.util.Map;

/**
 * One page of {@link StreamRegistry#page}.
 *
 * @param disconnectedSince for the live streams whose publisher dropped: since when (epoch ms), as {@link StreamRegistry#disconnectedSince}
 * @param nextCursor the cursor of the next page, null on the last one
 */
public record StreamPage(List<StreamInfo> streams, Map<String, Long> disconnectedSince, String nextCursor) {
    public StreamPage {
        streams = List.copyOf(streams);
        disconnectedSince = Map.copyOf(disconnectedSince);
    }
}
