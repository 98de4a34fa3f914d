package io.livestream.edge.ingest;

import io.livestream.common.ingest.IngestRecord;
import java.util.concurrent.CompletionStage;

/** Where the edge hands ingest records: Kafka in production, memory in tests. Must not block the caller. */
public interface IngestSink extends AutoCloseable {
    /** Completes when the record is stored (or exceptionally when it could not be). */
    CompletionStage<Void> send(IngestRecord record);

    @Override
    default void close() {}
}
