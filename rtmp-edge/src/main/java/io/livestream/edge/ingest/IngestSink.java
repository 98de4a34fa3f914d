package io.livestream.edge.ingest;

import io.livestream.common.ingest.IngestRecord;
import java.util.concurrent.CompletionStage;

/** Where the edge hands ingest records: Kafka in production, memory in tests. Must not block the caller. */
public interface IngestSink extends AutoCloseable {
    /** Completes when the record is stored (or exceptionally when it could not be). */
    CompletionStage<Void> send(IngestRecord record);

    /**
     * The sink for one publish's records, made when the publish starts so a sink can keep what does not change within
     * it (Kafka: the key and header bytes). By default each record goes through {@link #send(IngestRecord)}.
     */
    default Publish publish(String streamId, String sessionId) {
        return (record, done) -> {
            int payloadBytes = record.payload().length;
            send(record).whenComplete((ok, error) -> done.completed(payloadBytes, error));
        };
    }

    /** One publish's records, sent on its connection's thread. */
    interface Publish {
        /** Sends {@code record}; {@code done} is called once, when it is stored or could not be. */
        void send(IngestRecord record, Completion done);
    }

    /**
     * Told when a record of a publish is stored ({@code error} null) or failed, with the size of its payload. One
     * instance serves all the records of a publish. It is handed the size, not the record, so a sink need not keep the
     * record (and its payload, copied into the producer's batch already) reachable until the broker's acknowledgement:
     * at 50 publishers, held for linger + replication, those payloads survived young collections and grew the old
     * generation.
     */
    @FunctionalInterface
    interface Completion {
        void completed(int payloadBytes, Throwable error);
    }

    @Override
    default void close() {}
}
