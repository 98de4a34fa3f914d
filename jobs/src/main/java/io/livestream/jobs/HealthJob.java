package io.livestream.jobs;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.kafka.Topics;
import io.livestream.jobs.checkpoint.JobCheckpointing;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.jobs.health.HealthFunction;
import io.livestream.jobs.lifecycle.LifecycleDecision;
import io.livestream.jobs.lifecycle.RegistryLifecycleSink;
import io.livestream.jobs.lifecycle.SilenceClock;
import io.livestream.jobs.lifecycle.StreamLifecycleFunction;
import io.livestream.jobs.health.HealthThresholds;
import io.livestream.jobs.records.IngestSources;
import io.livestream.jobs.records.StreamHealth;
import io.livestream.jobs.records.StreamHealthSerializationSchema;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The stream-health job: {@code live.ingest} keyed by stream id -> {@link HealthFunction} (5 s windows on each
 * stream's timeline) -> {@code live.stream-health} as JSON, and -> {@link StreamLifecycleFunction} (has the stream's
 * media stopped?) -> the stream registry (reconnecting, resumed, ended). Reads the same topic as the transcoder under
 * a group of its own, so neither slows the other.
 */
public class HealthJob {
    public static final String JOB_NAME = "stream-health";

    private final Source<IngestRecord, ?, ?> source;
    private final Sink<StreamHealth> sink;
    private final HealthThresholds thresholds;
    private final long silenceMs;
    private final Sink<LifecycleDecision> lifecycleSink;
    private final long lifecycleSilenceMs;
    private final long reconnectGraceMs;
    private long restoreInputAllowanceMs = SilenceClock.DEFAULT_NO_INPUT_ALLOWANCE_MS;

    /**
     * @param lifecycleSink where the stream lifecycle decisions go (the registry); null for a job of health windows only
     */
    public HealthJob(Source<IngestRecord, ?, ?> source, Sink<StreamHealth> sink, HealthThresholds thresholds, long silenceMs,
                     Sink<LifecycleDecision> lifecycleSink, long lifecycleSilenceMs, long reconnectGraceMs) {
        this.source = source;
        this.sink = sink;
        this.thresholds = thresholds;
        this.silenceMs = silenceMs;
        this.lifecycleSink = lifecycleSink;
        this.lifecycleSilenceMs = lifecycleSilenceMs;
        this.reconnectGraceMs = reconnectGraceMs;
    }

    public HealthJob(Source<IngestRecord, ?, ?> source, Sink<StreamHealth> sink, HealthThresholds thresholds, long silenceMs) {
        this(source, sink, thresholds, silenceMs, null, 0, 0);
    }

    public HealthJob(Source<IngestRecord, ?, ?> source, Sink<StreamHealth> sink) {
        this(source, sink, HealthThresholds.DEFAULTS, HealthFunction.DEFAULT_SILENCE_MS);
    }

    /** After a restore with no input at all, how long before a stream's silence counts ({@link SilenceClock}). */
    public HealthJob restoreInputAllowanceMs(long ms) {
        this.restoreInputAllowanceMs = ms;
        return this;
    }

    /** Builds the graph in the caller's environment (the dev stack puts several jobs in one). */
    public void build(StreamExecutionEnvironment env) {
        KeyedStream<IngestRecord, String> byStream = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "health-ingest-source", TypeInformation.of(IngestRecord.class))
                .uid("health-ingest-source")
                .keyBy(IngestRecord::streamId);
        byStream.process(new HealthFunction(thresholds, silenceMs), TypeInformation.of(StreamHealth.class))
                .name("stream-health").uid("stream-health")
                .sinkTo(sink)
                .name("health-sink").uid("health-sink");
        if (lifecycleSink != null) {
            byStream.process(new StreamLifecycleFunction(lifecycleSilenceMs, reconnectGraceMs, restoreInputAllowanceMs), TypeInformation.of(LifecycleDecision.class))
                    .name("stream-lifecycle").uid("stream-lifecycle")
                    .sinkTo(lifecycleSink)
                    .name("registry-sink").uid("registry-sink");
        }
    }

    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env);
        return env.execute(JOB_NAME);
    }

    /** The job wired to Kafka as the arguments say: live.ingest in, live.stream-health out. */
    public static HealthJob fromArgs(ParameterTool params) {
        long grace = params.getLong("reconnect-grace-ms", StreamRegistry.DEFAULT_RECONNECT_GRACE_MS);
        RegistryLifecycleSink registry = new RegistryLifecycleSink(params.get("redis", "redis://localhost:6379"),
                params.get("key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX), params.get("bootstrap", "localhost:9092"), grace);
        return new HealthJob(kafkaSource(params), kafkaSink(params), HealthThresholds.DEFAULTS,
                params.getLong("silence-ms", HealthFunction.DEFAULT_SILENCE_MS),
                registry, params.getLong("lifecycle-silence-ms", StreamLifecycleFunction.DEFAULT_SILENCE_MS), grace)
                .restoreInputAllowanceMs(params.getLong("restore-input-allowance-ms", SilenceClock.DEFAULT_NO_INPUT_ALLOWANCE_MS));
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

    /** Checkpoints and restarts as every job has them ({@link JobCheckpointing}); the window state is small, so the heap backend does. */
    public static Configuration jobConfiguration(ParameterTool params) {
        return JobCheckpointing.configure(new Configuration(), params, JOB_NAME, JobCheckpointing.RestoreOrder.AFTER_FIRST);
    }

    /**
     * Arguments (all optional): --bootstrap localhost:9092 --ingest-topic live.ingest --health-topic live.stream-health
     * --health-group-id stream-health [--start-timestamp-ms T] --silence-ms 6000 --redis redis://localhost:6379
     * --key-prefix ls: --reconnect-grace-ms 15000 --lifecycle-silence-ms 2000 --restore-input-allowance-ms 10000
     * --checkpoint-interval-ms 3000 --checkpoint-dir DIR
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(params));
        fromArgs(params).build(env);
        env.execute(JOB_NAME);
    }
}
