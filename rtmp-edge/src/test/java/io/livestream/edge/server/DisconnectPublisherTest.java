package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.testing.FfmpegProgram;
import io.livestream.edge.ingest.InMemoryIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.InMemoryPublishGate;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's end reaches a real ffmpeg publisher: the edge closes its connection and the publish ends as "api". */
class DisconnectPublisherTest {
    private static final String KEY = "live_0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void disconnectDropsTheRunningPublisher() throws Exception {
        InMemoryIngestSink sink = new InMemoryIngestSink();
        InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of(KEY, "stream-1"));
        try (RtmpServer server = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), gate, sink, new EdgeMetrics())) {
            int port = server.start();
            Process ffmpeg = FfmpegProgram.publishTestPattern("rtmp://127.0.0.1:" + port + "/live/" + KEY, "160x120", 15, 30, tmp.resolve("ffmpeg.log"));
            try {
                Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> !sink.records().isEmpty());
                assertThat(server.disconnect("other-stream")).isFalse();
                assertThat(server.disconnect("stream-1")).isTrue();

                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gate.ended().size() == 1);
                assertThat(gate.ended().get(0).reason()).isEqualTo("api");
                assertThat(ffmpeg.waitFor(10, TimeUnit.SECONDS)).as("ffmpeg gives up once dropped").isTrue();
                assertThat(server.publishers()).isZero();
            } finally {
                ffmpeg.destroyForcibly();
            }
        }
    }
}
