package io.livestream.jobs;

import io.livestream.common.audience.ViewerCount;
import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.jobs.checkpoint.JobCheckpointing;
import io.livestream.jobs.audience.AudienceAccumulator;
import io.livestream.jobs.audience.AudienceAggregate;
import io.livestream.jobs.audience.AudienceRedisSink;
import io.livestream.jobs.audience.AudienceWindowFunction;
import io.livestream.jobs.audience.AudienceZeroFunction;
import io.livestream.jobs.records.ViewerCountSerializationSchema;
import io.livestream.jobs.records.ViewerHeartbeatDeserializationSchema;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The audience job: {@code live.viewer-heartbeats} keyed by stream -> sliding event-time windows (30 s every 5 s) of
 * distinct viewers, in total and per rendition (exact up to 10,000, an Apache DataSketches HLL sketch above) -> {@code live.viewer-counts}
 * and Redis. A viewer who stops heartbeating leaves the count when the last window holding its heartbeat closes.
 */
public class AudienceJob {
    public static final String JOB_NAME = "audience";
    public static final Duration WINDOW = Duration.ofSeconds(30);
    public static final Duration SLIDE = Duration.ofSeconds(5);
    /** Heartbeats from several origins arrive a little out of order. */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

    private final Source<ViewerHeartbeat, ?, ?> source;
    private final Sink<ViewerCount> countsSink;
    private final Sink<ViewerCount> redisSink;

    /** @param redisSink null to skip Redis (tests) */
    public AudienceJob(Source<ViewerHeartbeat, ?, ?> source, Sink<ViewerCount> countsSink, Sink<ViewerCount> redisSink) {
        this.source = source;
        this.countsSink = countsSink;
        this.redisSink = redisSink;
    }

    public void build(StreamExecutionEnvironment env) {
        WatermarkStrategy<ViewerHeartbeat> watermarks = WatermarkStrategy.<ViewerHeartbeat>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((beat, previous) -> beat.at())
                // a partition without viewers must not hold back the others' windows
                .withIdleness(Duration.ofSeconds(5));
        DataStream<ViewerCount> counts = env.fromSource(source, watermarks, "heartbeat-source", TypeInformation.of(ViewerHeartbeat.class))
                .uid("heartbeat-source")
                .keyBy(ViewerHeartbeat::streamId)
                .window(SlidingEventTimeWindows.of(WINDOW, SLIDE))
                .aggregate(new AudienceAggregate(), new AudienceWindowFunction(),
                        TypeInformation.of(AudienceAccumulator.class), TypeInformation.of(AudienceAccumulator.class),
                        TypeInformation.of(ViewerCount.class))
                .name("distinct-viewers").uid("distinct-viewers")
                .keyBy(ViewerCount::streamId)
                .process(new AudienceZeroFunction(WINDOW.toMillis(), SLIDE.toMillis()), TypeInformation.of(ViewerCount.class))
                .name("viewers-gone").uid("viewers-gone");
        counts.sinkTo(countsSink).name("viewer-counts").uid("viewer-counts");
        if (redisSink != null) counts.sinkTo(redisSink).name("viewer-counts-redis").uid("viewer-counts-redis");
    }

    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env);
        return env.execute(JOB_NAME);
    }

    /** The Kafka and Redis wiring of {@link #main}, for callers (the dev stack) that build into their own environment. */
    public static AudienceJob fromParams(ParameterTool params) {
        String bootstrap = params.get("bootstrap", "localhost:9092");
        KafkaSource<ViewerHeartbeat> source = KafkaSource.<ViewerHeartbeat>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(params.get("heartbeat-topic", Topics.VIEWER_HEARTBEATS))
                .setGroupId(params.get("group-id", JOB_NAME))
                .setStartingOffsets(params.has("heartbeat-start-timestamp")
                        ? OffsetsInitializer.timestamp(params.getLong("heartbeat-start-timestamp"))
                        : OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new ViewerHeartbeatDeserializationSchema())
                .build();
        KafkaSink<ViewerCount> counts = KafkaSink.<ViewerCount>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new ViewerCountSerializationSchema(params.get("counts-topic", Topics.VIEWER_COUNTS)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
        AudienceRedisSink redis = new AudienceRedisSink(params.get("redis", "redis://localhost:6379"),
                params.get("key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX));
        return new AudienceJob(source, counts, redis);
    }

    /**
     * Arguments (all optional): --bootstrap localhost:9092 --redis redis://localhost:6379 --key-prefix ls:
     * --group-id audience --heartbeat-topic live.viewer-heartbeats --counts-topic live.viewer-counts
     * --heartbeat-start-timestamp <epoch ms> (instead of the live edge for a fresh group)
     */
    /** Checkpoints and restarts as every job has them ({@link JobCheckpointing}). */
    public static Configuration jobConfiguration(ParameterTool params) {
        return JobCheckpointing.configure(new Configuration(), params, JOB_NAME, JobCheckpointing.RestoreOrder.AFTER_FIRST);
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(params));
        fromParams(params).build(env);
        env.execute(JOB_NAME);
    }
}
