package io.livestream.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.metrics.EdgeMetrics;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
    private final InMemoryIngestSink sink = new InMemoryIngestSink();
    private final EdgeMetrics metrics = new EdgeMetrics();
    private final IngestPipeline pipeline = new IngestPipeline("s1", "sess", 10_000, sink, metrics);

    private static RtmpMessage.Video frame(long ts, boolean keyframe, int size) {
        byte[] body = new byte[size];
        body[0] = (byte) (keyframe ? 0x17 : 0x27);
        body[1] = 1;
        return new RtmpMessage.Video(1, ts, body);
    }

    @Test
    void aStalledSinkCostsFramesNotMemoryAndRecoversAtAKeyframe() {
        sink.stall();
        pipeline.accept(frame(0, true, 4000));
        pipeline.accept(frame(33, false, 4000));
        pipeline.accept(frame(66, false, 4000));   // 12000 > 10000: the stall starts
        pipeline.accept(frame(100, false, 100));
        pipeline.accept(frame(133, true, 4000));   // a keyframe, but 8000 + 4000 is still over
        sink.resume();                             // Kafka catches up
        pipeline.accept(frame(166, false, 100));   // still waiting for a keyframe
        pipeline.accept(frame(200, true, 4000));
        pipeline.accept(frame(233, false, 100));

        assertThat(sink.records()).extracting(IngestRecord::timestampMs).containsExactly(0L, 33L, 200L, 233L);
        assertThat(pipeline.dropped()).isEqualTo(4);
        assertThat(metrics.scrape())
                .contains("rtmp_edge_records_dropped_total 4.0")
                .contains("rtmp_edge_records_produced_total 4.0");
    }
}
