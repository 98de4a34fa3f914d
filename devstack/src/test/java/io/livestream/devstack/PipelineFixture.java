package io.livestream.devstack;

import io.livestream.common.registry.StreamRegistry;
import io.livestream.devstack.flink.FlinkCluster;
import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.ingest.KafkaIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.edge.server.RtmpServer;
import io.livestream.edge.session.RegistryPublishGate;
import io.livestream.jobs.TranscodeJob;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.http.OriginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.util.ParameterTool;

/**
 * The ingest-to-playback pipeline on the shared Kafka and Redis: the RTMP edge, the transcode job in a Flink
 * MiniCluster (running before anything is published) and the HLS origin, each on a free port. For end-to-end tests
 * and benchmarks.
 */
public final class PipelineFixture implements AutoCloseable {
    private final StreamRegistry registry;
    private final FlinkCluster flink;
    private final HlsOrigin origin;
    private final KafkaIngestSink kafkaSink;
    private final RtmpServer edge;

    /** @param sinkDecorator wraps the edge's Kafka sink, e.g. to observe what the edge sends */
    public PipelineFixture(SharedInfra infra, String preset, UnaryOperator<IngestSink> sinkDecorator) throws Exception {
        this(infra, preset, sinkDecorator, Map.of());
    }

    /** @param jobArguments more arguments of the transcode job ({@code TranscodeJob.fromArgs}), e.g. {@code catch-up-lag-ms} */
    public PipelineFixture(SharedInfra infra, String preset, UnaryOperator<IngestSink> sinkDecorator, Map<String, String> jobArguments) throws Exception {
        registry = infra.newRegistry();
        flink = FlinkCluster.start(0, 4);
        Path checkpoints = Files.createTempDirectory("pipeline-checkpoints");
        Map<String, String> arguments = new java.util.HashMap<>(Map.of(
                "bootstrap", infra.bootstrapServers(),
                "group-id", "transcode-" + System.nanoTime(),
                "preset", preset,
                "start-timestamp-ms", String.valueOf(System.currentTimeMillis()),
                "checkpoint-dir", checkpoints.toUri().toString()));
        arguments.putAll(jobArguments);
        ParameterTool args = ParameterTool.fromMap(arguments);
        JobID job = flink.submit(TranscodeJob.JOB_NAME, FlinkCluster.withParallelism(TranscodeJob.jobConfiguration(args), 2),
                TranscodeJob.fromArgs(args)::build);
        flink.awaitRunning(job, Duration.ofSeconds(60));
        origin = new HlsOrigin(HlsOriginConfig.defaults(infra.bootstrapServers()).withHttp(OriginConfig.DEFAULTS.withPort(0)));
        origin.start();
        kafkaSink = new KafkaIngestSink(infra.bootstrapServers());
        edge = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, 0),
                new RegistryPublishGate(registry, "live"), sinkDecorator.apply(kafkaSink), new EdgeMetrics());
        edge.start();
    }

    public StreamRegistry registry() {
        return registry;
    }

    public String rtmpUrl(String streamKey) {
        return "rtmp://127.0.0.1:" + edge.port() + "/live/" + streamKey;
    }

    public String liveBaseUrl(String streamId) {
        return "http://127.0.0.1:" + origin.port() + "/live/" + streamId + "/";
    }

    @Override
    public void close() throws Exception {
        edge.close();
        kafkaSink.close();
        origin.close();
        flink.close();
    }
}
