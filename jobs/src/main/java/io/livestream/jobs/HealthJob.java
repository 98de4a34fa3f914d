package io.livestream.jobs;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.kafka.Topics;
import io.livestream.jobs.functions.HealthFunction;
import io.livestream.jobs.functions.HealthThresholds;
import io.livestream.jobs.records.IngestSources;
import io.livestream.jobs.records.StreamHealth;
import io.livestream.jobs.records.StreamHealthSerializationSchema;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The stream-health job: {@code live.ingest} keyed by stream id -> {@link HealthFunction} (5 s windows on each
 * stream's timeline) -> {@code live.stream-health} as JSON. Reads the same topic as the transcoder under a group
 * of its own, so neither slows the other.
 */
public class HealthJob {
    public static final String JOB_NAME = "stream-health";

    private final Source<IngestRecord, ?, ?> source;
    private final Sink<StreamHealth> sink;
    private final HealthThresholds thresholds;
    private final long silenceMs;

    public HealthJob(Source<IngestRecord, ?, ?> source, Sink<StreamHealth> sink, HealthThresholds thresholds, long silenceMs) {
        this.source = source;
        this.sink = sink;
        this.thresholds = thresholds;
        this.silenceMs = silenceMs;
    }

    public HealthJob(Source<IngestRecord, ?, ?> source, Sink<StreamHealth> sink) {
        this(source, sink, HealthThresholds.DEFAULTS, HealthFunction.DEFAULT_SILENCE_MS);
    }

    /** Builds the graph in the caller's environment (the dev stack puts several jobs in one). */
    public void build(StreamExecutionEnvironment env) {
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "health-ingest-source", TypeInformation.of(IngestRecord.class))
                .uid("health-ingest-source")
                .keyBy(IngestRecord::streamId)
                .process(new HealthFunction(thresholds, silenceMs), TypeInformation.of(StreamHealth.class))
                .name("stream-health").uid("stream-health")
                .sinkTo(sink)
                .name("health-sink").uid("health-sink");
    }

    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env);
        return env.execute(JOB_NAME);
    }

    /** The job wired to Kafka as the arguments say: live.ingest in, live.stream-health out. */
    public static HealthJob fromArgs(ParameterTool params) {
        return new HealthJob(kafkaSource(params), kafkaSink(params), HealthThresholds.DEFAULTS,
                params.getLong("silence-ms", HealthFunction.DEFAULT_SILENCE_MS));
    }

    /**
     * The Kafka source of {@code live.ingest} for this job: --bootstrap, --ingest-topic, --health-group-id,
     * --start-timestamp-ms. The group argument has its own name so that one argument set can serve every job of
     * the dev stack without two jobs committing offsets under one group.
     */
    public static KafkaSource<IngestRecord> kafkaSource(ParameterTool params) {
        return IngestSources.fromArgs(params, "health-group-id", JOB_NAME);
    }

    /** The Kafka sink to {@code live.stream-health}: --bootstrap, --health-topic. */
    public static KafkaSink<StreamHealth> kafkaSink(ParameterTool params) {
        return KafkaSink.<StreamHealth>builder()
                .setBootstrapServers(params.get("bootstrap", "localhost:9092"))
                .setRecordSerializer(new StreamHealthSerializationSchema(params.get("health-topic", Topics.STREAM_HEALTH)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** Periodic checkpoints (--checkpoint-interval-ms); the window state is small, so the default heap backend does. */
    public static Configuration jobConfiguration(ParameterTool params) {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(params.getLong("checkpoint-interval-ms", 10_000)));
        return config;
    }

    /**
     * Arguments (all optional): --bootstrap localhost:9092 --ingest-topic live.ingest --health-topic live.stream-health
     * --health-group-id stream-health [--start-timestamp-ms T] --silence-ms 6000 --checkpoint-interval-ms 10000
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(params));
        fromArgs(params).build(env);
        env.execute(JOB_NAME);
    }
}
