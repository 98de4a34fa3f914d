package io.livestream.origin.ingest;

import io.livestream.common.media.MediaRecord;

/** What the {@code live.media} consumer feeds; the segment store is the one implementation. */
@FunctionalInterface
public interface MediaRecordListener {
    void onMediaRecord(MediaRecord record);
}
