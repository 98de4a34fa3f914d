package io.livestream.jobs;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.kafka.Topics;
import io.livestream.common.media.MediaRecord;
import io.livestream.jobs.checkpoint.JobCheckpointing;
import io.livestream.jobs.transcode.TranscodeFunction;
import io.livestream.jobs.lifecycle.SilenceClock;
import io.livestream.jobs.media.Ladder;
import io.livestream.jobs.media.TranscodeSettings;
import io.livestream.jobs.records.IngestSources;
import io.livestream.jobs.records.MediaRecordSerializationSchema;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The transcode job: {@code live.ingest} keyed by stream id -> {@link TranscodeFunction} -> {@code live.media}.
 * Takes its source and sink in the constructor so tests run the same graph with a test source and a collecting sink.
 */
public class TranscodeJob {
    public static final String JOB_NAME = "transcode";

    private final Source<IngestRecord, ?, ?> source;
    private final Sink<MediaRecord> sink;
    private final TranscodeSettings settings;
    private final long idleTimeoutMs;
    private final long catchUpLagMs;
    private long restoreInputAllowanceMs = SilenceClock.DEFAULT_NO_INPUT_ALLOWANCE_MS;
    private long restoreCatchUpLagMs = -1;

    public TranscodeJob(Source<IngestRecord, ?, ?> source, Sink<MediaRecord> sink, TranscodeSettings settings, long idleTimeoutMs) {
        this(source, sink, settings, idleTimeoutMs, 0);
    }

    public TranscodeJob(Source<IngestRecord, ?, ?> source, Sink<MediaRecord> sink, TranscodeSettings settings, long idleTimeoutMs,
                        long catchUpLagMs) {
        this.source = source;
        this.sink = sink;
        this.settings = settings;
        this.idleTimeoutMs = idleTimeoutMs;
        this.catchUpLagMs = catchUpLagMs;
    }

    /** After a restore with no input at all, how long before a session's silence counts ({@link SilenceClock}). */
    public TranscodeJob restoreInputAllowanceMs(long ms) {
        this.restoreInputAllowanceMs = ms;
        return this;
    }

    /** A restore's backlog older than this is skipped, a younger one transcoded (default: {@link TranscodeFunction#DEFAULT_RESTORE_CATCH_UP_LAG_MS}). */
    public TranscodeJob restoreCatchUpLagMs(long ms) {
        this.restoreCatchUpLagMs = ms;
        return this;
    }

    /** Builds the graph in the environment of the caller (the dev stack puts several jobs in one). */
    public void build(StreamExecutionEnvironment env) {
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ingest-source", TypeInformation.of(IngestRecord.class))
                .uid("ingest-source")
                .keyBy(IngestRecord::streamId)
                .process(restoreCatchUpLagMs < 0 ? new TranscodeFunction(settings, idleTimeoutMs, catchUpLagMs, restoreInputAllowanceMs)
                        : new TranscodeFunction(settings, idleTimeoutMs, catchUpLagMs, restoreCatchUpLagMs, restoreInputAllowanceMs),
                        TypeInformation.of(MediaRecord.class))
                .name("transcode").uid("transcode")
                .sinkTo(sink)
                .name("media-sink").uid("media-sink");
    }

    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env);
        return env.execute(JOB_NAME);
    }

    /**
     * Arguments (all optional): --bootstrap localhost:9092 --ingest-topic live.ingest --media-topic live.media
     * --group-id transcode [--start-timestamp-ms T] --ladder source,720p:2800,480p:1400,360p:800 --preset veryfast --encoder-threads 2
     * --part-target-ms 250
     * --idle-timeout-ms 10000 --catch-up-lag-ms 5000 (overload: 0 never skips) --restore-catch-up-lag-ms 30000 (a restore's backlog older than this is skipped) --restore-input-allowance-ms 10000 --checkpoint-interval-ms 3000 --checkpoint-dir file:///tmp/livestream-checkpoints (the job's own under it)
     */
    /** The transcoding arguments: --ladder, --preset, --encoder-threads, --part-target-ms (0: no LL-HLS parts). */
    public static TranscodeSettings settingsFrom(ParameterTool params) {
        return TranscodeSettings.defaults()
                .withLadder(Ladder.parse(params.get("ladder", Ladder.DEFAULT_SPEC)))
                .withPreset(params.get("preset", TranscodeSettings.DEFAULT_PRESET))
                .withEncoderThreads(params.getInt("encoder-threads", 2))
                .withPartTargetMs(params.getLong("part-target-ms", TranscodeSettings.DEFAULT_PART_TARGET_MS));
    }

    /** The job wired to Kafka as the arguments say: live.ingest in, live.media out. */
    public static TranscodeJob fromArgs(ParameterTool params) {
        String bootstrap = params.get("bootstrap", "localhost:9092");
        KafkaSource<IngestRecord> source = IngestSources.fromArgs(params, "group-id", JOB_NAME);
        KafkaSinkBuilder<MediaRecord> sinkBuilder = KafkaSink.<MediaRecord>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new MediaRecordSerializationSchema(params.get("media-topic", Topics.MEDIA)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("max.request.size", String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES))
                .setProperty("linger.ms", "0"); // segments are latency-critical
        Topics.MEDIA_CLIENT_BACKOFF.forEach(sinkBuilder::setProperty);
        KafkaSink<MediaRecord> sink = sinkBuilder.build();
        return new TranscodeJob(source, sink, settingsFrom(params),
                params.getLong("idle-timeout-ms", TranscodeFunction.DEFAULT_IDLE_TIMEOUT_MS),
                params.getLong("catch-up-lag-ms", TranscodeFunction.DEFAULT_CATCH_UP_LAG_MS))
                .restoreInputAllowanceMs(params.getLong("restore-input-allowance-ms", SilenceClock.DEFAULT_NO_INPUT_ALLOWANCE_MS))
                .restoreCatchUpLagMs(params.getLong("restore-catch-up-lag-ms", -1));
    }

    /** RocksDB state, checkpoints and restarts as every job has them ({@link JobCheckpointing}). */
    public static Configuration jobConfiguration(ParameterTool params) {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        // a segment's last frames must not wait in a half-full network buffer (Flink's default is 100 ms per hop)
        config.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(5));
        return JobCheckpointing.configure(config, params, JOB_NAME, JobCheckpointing.RestoreOrder.FIRST);
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(params));
        fromArgs(params).build(env);
        env.execute(JOB_NAME);
    }
}
