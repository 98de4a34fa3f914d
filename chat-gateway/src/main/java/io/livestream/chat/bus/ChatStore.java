package io.livestream.chat.bus;

import io.livestream.common.chat.ChatAccepted;
import java.util.List;
import java.util.Map;

/** What the gateway reads (Redis in production); calls may block, so they run off the event loops. */
public interface ChatStore {
    /** The last {@code limit} accepted messages of a stream, oldest first. */
    List<ChatAccepted> recent(String streamId, int limit);

    /** The audience job's hash for a stream (count, peak, updatedAt, byRendition), empty if none. */
    Map<String, String> viewers(String streamId);
}
