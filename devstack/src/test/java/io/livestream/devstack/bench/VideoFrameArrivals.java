package io.livestream.devstack.bench;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.ingest.IngestSink;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/** Wraps the edge's sink to tell a latency benchmark when each video frame reached the edge (wall-clock ms). */
final class VideoFrameArrivals {
    static IngestSink observe(IngestSink sink, BiConsumer<IngestRecord, Long> onFrame) {
        return new IngestSink() {
            @Override
            public CompletionStage<Void> send(IngestRecord record) {
                if (record.kind() == IngestRecord.Kind.VIDEO && !record.sequenceHeader()) {
                    onFrame.accept(record, System.currentTimeMillis());
                }
                return sink.send(record);
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }

    private VideoFrameArrivals() {}
}
