package io.livestream.edge.ingest;

import io.livestream.common.ingest.IngestRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps records in memory: for tests and local runs. {@link #stall()} holds completions back the way a stalled
 * Kafka would, until {@link #resume()}.
 */
public final class InMemoryIngestSink implements IngestSink {
    private final List<IngestRecord> records = new ArrayList<>();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean stalled;

    @Override
    public synchronized CompletionStage<Void> send(IngestRecord record) {
        records.add(record);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (stalled) held.add(done);
        else done.complete(null);
        return done;
    }

    public synchronized List<IngestRecord> records() {
        return List.copyOf(records);
    }

    public synchronized void stall() {
        stalled = true;
    }

    public void resume() {
        List<CompletableFuture<Void>> release;
        synchronized (this) {
            stalled = false;
            release = new ArrayList<>(held);
            held.clear();
        }
        release.forEach(f -> f.complete(null));
    }
}
