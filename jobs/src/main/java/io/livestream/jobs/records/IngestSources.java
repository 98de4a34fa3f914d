package io.livestream.jobs.records;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.kafka.Topics;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The Kafka source of {@code live.ingest} that every job reading the ingest shares. */
public final class IngestSources {
    /**
     * --bootstrap, --ingest-topic, the consumer group from {@code groupArgument} (each job has its own, so one argument
     * set serves every job of the dev stack) and --start-timestamp-ms. Live jobs start at the live edge; a restored one
     * continues from its checkpoint.
     */
    public static KafkaSource<IngestRecord> fromArgs(ParameterTool params, String groupArgument, String defaultGroup) {
        KafkaSourceBuilder<IngestRecord> builder = KafkaSource.<IngestRecord>builder()
                .setBootstrapServers(params.get("bootstrap", "localhost:9092"))
                .setTopics(params.get("ingest-topic", Topics.INGEST))
                .setGroupId(params.get(groupArgument, defaultGroup))
                .setStartingOffsets(params.has("start-timestamp-ms")
                        ? OffsetsInitializer.timestamp(params.getLong("start-timestamp-ms"))
                        : OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new IngestRecordDeserializationSchema())
                .setProperty("max.partition.fetch.bytes", String.valueOf(Topics.MEDIA_MAX_MESSAGE_BYTES));
        Topics.MEDIA_CLIENT_BACKOFF.forEach(builder::setProperty);
        return builder.build();
    }

    private IngestSources() {}
}
