package io.livestream.devstack.bench;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.RtmpEdgeMain;
import io.livestream.edge.ingest.IngestSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The production edge with an ingest sink that stores nothing and acknowledges at once: the floor of the edge's CPU
 * (handshake, chunk decoding, FLV tags, the publish session, metrics) without the Kafka producer, for the third row of
 * {@link EdgeVsNginxBenchmark}. Same flags as {@link RtmpEdgeMain}; Redis and Kafka are still used for the registry.
 */
public final class EdgeWithoutKafkaMain {
    /** Acknowledges every record as stored, without keeping it. */
    static final class DiscardingSink implements IngestSink {
        @Override
        public CompletionStage<Void> send(IngestRecord record) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Publish publish(String streamId, String sessionId) {
            return (record, done) -> done.completed(record.payload().length, null);
        }
    }

    public static void main(String[] args) throws Exception {
        RtmpEdgeMain.run(args, bootstrap -> new DiscardingSink());
    }

    private EdgeWithoutKafkaMain() {}
}
