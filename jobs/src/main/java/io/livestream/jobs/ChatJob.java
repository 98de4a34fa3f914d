package io.livestream.jobs;

import io.livestream.common.chat.ChatEvent;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.jobs.checkpoint.JobCheckpointing;
import io.livestream.jobs.chat.ChatFunction;
import io.livestream.jobs.chat.ChatRedisSink;
import io.livestream.jobs.chat.ChatSettings;
import io.livestream.jobs.records.ChatEventSerializationSchema;
import io.livestream.jobs.records.ChatInput;
import io.livestream.jobs.records.ChatInputDeserializationSchema;
import java.util.Arrays;
import java.util.List;
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
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The chat job: {@code chat.submitted} + {@code chat.moderation} (+ {@code live.stream-events} for the stream time),
 * keyed by stream id -> {@link ChatFunction} -> Redis (history + fan-out to every gateway) and, for analytics,
 * {@code chat.accepted} / {@code chat.rejected}.
 */
public class ChatJob {
    public static final String JOB_NAME = "chat";
    /**
     * Network buffer timeout of the sources' exchange to the keyed rules: 0 sends each record on at once. Chat is light
     * and latency-bound: Flink's default 100 ms was about half of a message's submit-to-delivery time, and 5 ms still
     * held each message 2.5 ms on average (bench/chat-fanout.sh); a flush per record costs nothing at chat's rates.
     */
    public static final long BUFFER_TIMEOUT_MS = 0;

    private final Source<ChatInput, ?, ?> chatSource;
    private final Source<ChatInput, ?, ?> streamEventSource;
    private final Sink<ChatEvent> fanoutSink;
    private final Sink<ChatEvent> analyticsSink;
    private final ChatSettings settings;

    /**
     * @param streamEventSource stream events for the stream time; null to run without it
     * @param analyticsSink accepted and rejected messages (not moderation); null to skip
     */
    public ChatJob(Source<ChatInput, ?, ?> chatSource, Source<ChatInput, ?, ?> streamEventSource,
                   Sink<ChatEvent> fanoutSink, Sink<ChatEvent> analyticsSink, ChatSettings settings) {
        this.chatSource = chatSource;
        this.streamEventSource = streamEventSource;
        this.fanoutSink = fanoutSink;
        this.analyticsSink = analyticsSink;
        this.settings = settings;
    }

    public void build(StreamExecutionEnvironment env) {
        TypeInformation<ChatInput> inputType = TypeInformation.of(ChatInput.class);
        DataStream<ChatInput> input = env.fromSource(chatSource, WatermarkStrategy.noWatermarks(), "chat-source", inputType)
                .uid("chat-source").setBufferTimeout(BUFFER_TIMEOUT_MS);
        if (streamEventSource != null) {
            input = input.union(env.fromSource(streamEventSource, WatermarkStrategy.noWatermarks(), "chat-stream-events", inputType)
                    .uid("chat-stream-events").setBufferTimeout(BUFFER_TIMEOUT_MS));
        }
        SingleOutputStreamOperator<ChatEvent> verdicts = input
                .keyBy(ChatInput::streamId)
                .process(new ChatFunction(settings), TypeInformation.of(ChatEvent.class))
                .name("chat-rules").uid("chat-rules");
        verdicts.sinkTo(fanoutSink).name("chat-redis").uid("chat-redis");
        if (analyticsSink != null) {
            verdicts.filter(e -> !ChatEvent.MODERATION.equals(e.type())).name("chat-analytics-filter").uid("chat-analytics-filter")
                    .sinkTo(analyticsSink).name("chat-analytics").uid("chat-analytics");
        }
    }

    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env);
        return env.execute(JOB_NAME);
    }

    /** --blocked-words a,b,c --slow-mode-default-seconds 3 */
    public static ChatSettings settingsFrom(ParameterTool params) {
        String words = params.get("blocked-words", "");
        List<String> blocked = words.isBlank() ? List.of() : Arrays.asList(words.split(","));
        return ChatSettings.DEFAULTS.withBlockedWords(blocked)
                .withDefaultSlowModeSeconds(params.getInt("slow-mode-default-seconds", ChatSettings.DEFAULTS.defaultSlowModeSeconds()));
    }

    /** The Kafka and Redis wiring of {@link #main}, for callers (the dev stack) that build into their own environment. */
    public static ChatJob fromParams(ParameterTool params) {
        String bootstrap = params.get("bootstrap", "localhost:9092");
        String groupId = params.get("group-id", JOB_NAME);
        KafkaSource<ChatInput> chat = KafkaSource.<ChatInput>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(Topics.CHAT_SUBMITTED, Topics.CHAT_MODERATION)
                .setGroupId(groupId)
                .setStartingOffsets(params.has("chat-start-timestamp")
                        ? OffsetsInitializer.timestamp(params.getLong("chat-start-timestamp"))
                        : OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new ChatInputDeserializationSchema())
                .build();
        // the go-live of a stream may precede this job, so stream events are read from the start (compacted topic)
        KafkaSource<ChatInput> events = KafkaSource.<ChatInput>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(Topics.STREAM_EVENTS)
                .setGroupId(groupId + "-stream-events")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ChatInputDeserializationSchema())
                .build();
        KafkaSink<ChatEvent> analytics = KafkaSink.<ChatEvent>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new ChatEventSerializationSchema())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
        ChatRedisSink redis = new ChatRedisSink(params.get("redis", "redis://localhost:6379"),
                params.get("key-prefix", StreamRegistry.DEFAULT_KEY_PREFIX));
        return new ChatJob(chat, events, redis, analytics, settingsFrom(params));
    }

    /**
     * Arguments (all optional): --bootstrap localhost:9092 --redis redis://localhost:6379 --key-prefix ls:
     * --group-id chat --blocked-words a,b --slow-mode-default-seconds 3 --chat-start-timestamp <epoch ms> (a fresh
     * group otherwise starts at the live edge once its reader is up; a timestamp loses nothing sent after it)
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
