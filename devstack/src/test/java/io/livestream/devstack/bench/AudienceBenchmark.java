package io.livestream.devstack.bench;

import io.livestream.common.audience.ViewerCount;
import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.json.Json;
import io.livestream.devstack.SharedInfra;
import io.livestream.jobs.AudienceJob;
import io.livestream.jobs.records.ViewerHeartbeatDeserializationSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Heartbeats per second the audience job sustains on a Flink MiniCluster: a generator source makes synthetic
 * heartbeats as fast as the job takes them (each of V viewers spread over S streams beats every 2 s of event time,
 * rotating over three renditions) for a span of event time; the time from the first heartbeat made to the last count
 * written gives the rate. Then every window that lies wholly inside the span must count each stream's viewers: exactly
 * up to 10,000 per stream, within 2 % above (DataSketches HLL).
 *
 * <p>With {@code kafka} as the fourth argument the heartbeats go through a topic of the real (embedded) Kafka first and
 * the job reads them with its Kafka source, bounded at the end offsets.
 *
 * <p>Run: {@code bench/audience.sh [viewers:streams,...=10000:1,200000:1,100000:100] [span seconds=40] [parallelism=1] [memory|kafka]}
 */
public final class AudienceBenchmark {
    static final long T0 = 1_700_000_000_000L; // a multiple of 5 s: windows start on it
    static final long BEAT_INTERVAL_MS = 2_000;
    static final String[] RENDITIONS = {"720p", "480p", "360p"};

    /** Set by the source and the sink, which run in this JVM (MiniCluster). */
    static final AtomicLong firstBeatNanos = new AtomicLong();
    static final AtomicLong lastCountNanos = new AtomicLong();
    static final Map<String, List<ViewerCount>> collected = new ConcurrentHashMap<>();

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            System.exit(status);
        }
    }

    static void run(String[] args) throws Exception {
        String scenarios = args.length > 0 ? args[0] : "10000:1,200000:1,100000:100";
        int spanSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean kafka = args.length > 3 && args[3].equals("kafka");
        List<String> rows = new ArrayList<>();
        for (String scenario : scenarios.split(",")) {
            String[] vs = scenario.trim().split(":");
            rows.add(run(Integer.parseInt(vs[0]), Integer.parseInt(vs[1]), spanSeconds, parallelism, kafka));
        }
        System.out.printf("%n| source | viewers | streams | viewers/stream | heartbeats | event-time span | parallelism | wall s | heartbeats/s | full windows checked | counts right | worst error |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        rows.forEach(System.out::println);
        System.out.printf("%nAll in one JVM on %d cores (the MiniCluster's heap state backend); the rate includes making the heartbeats.%n",
                Runtime.getRuntime().availableProcessors());
    }

    static String run(int viewers, int streams, int spanSeconds, int parallelism, boolean kafka) throws Exception {
        long rounds = spanSeconds * 1000L / BEAT_INTERVAL_MS;
        long total = rounds * viewers;
        String name = viewers + "x" + streams;
        collected.put(name, new CopyOnWriteArrayList<>());
        firstBeatNanos.set(0);
        lastCountNanos.set(0);
        // beat i: round i / V, viewer i % V (in stream viewer % S), its time spread evenly over the round
        GeneratorFunction<Long, ViewerHeartbeat> generator = i -> {
            if (firstBeatNanos.get() == 0) firstBeatNanos.compareAndSet(0, System.nanoTime());
            long round = i / viewers;
            int viewer = (int) (i % viewers);
            long at = T0 + round * BEAT_INTERVAL_MS + viewer * BEAT_INTERVAL_MS / viewers;
            return ViewerHeartbeat.of("s" + (viewer % streams), "viewer-" + viewer, RENDITIONS[viewer % RENDITIONS.length], at, "origin");
        };
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        Source<ViewerHeartbeat, ?, ?> source = kafka ? kafkaSource(name, generator, total)
                : new DataGeneratorSource<>(generator, total, TypeInformation.of(ViewerHeartbeat.class));
        new AudienceJob(source, new CountsSink(name), null).build(env);
        System.out.printf("audience job: %,d viewers in %d streams, %,d heartbeats over %d s of event time...%n", viewers, streams, total, spanSeconds);
        firstBeatNanos.set(0);
        env.execute("audience-bench-" + name);
        double wall = (lastCountNanos.get() - firstBeatNanos.get()) / 1e9;

        // windows wholly inside the span hold one beat of every viewer at least
        long perStream = viewers / streams;
        long checked = 0;
        long wrong = 0;
        double worst = 0;
        for (ViewerCount c : collected.get(name)) {
            if (c.windowStart() < T0 || c.windowEnd() > T0 + rounds * BEAT_INTERVAL_MS) continue;
            long expected = perStream + (Integer.parseInt(c.streamId().substring(1)) < viewers % streams ? 1 : 0);
            double error = Math.abs(c.count() - expected) / (double) expected;
            worst = Math.max(worst, error);
            checked++;
            if (c.exact() ? c.count() != expected : error > 0.02) wrong++;
        }
        if (checked == 0) throw new IllegalStateException("no full window: make the span at least 30 s");
        return String.format("| %s | %,d | %d | %,d | %,d | %d s | %d | %.1f | %,.0f | %d | %s | %.2f %% |", kafka ? "Kafka" : "in-memory", viewers, streams, perStream, total,
                spanSeconds, parallelism, wall, total / wall, checked, wrong == 0 ? "yes" : "NO (" + wrong + " wrong)", 100 * worst);
    }

    /**
     * Writes the heartbeats to a fresh topic of the shared Kafka first (as the origins would, JSON keyed by stream), then
     * reads them back with a Kafka source bounded at the end offsets, so the job ends when it has read them all.
     */
    static Source<ViewerHeartbeat, ?, ?> kafkaSource(String name, GeneratorFunction<Long, ViewerHeartbeat> generator, long total)
            throws Exception {
        SharedInfra infra = SharedInfra.get();
        String topic = "bench.viewer-heartbeats." + name + "." + System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < total; i++) {
                ViewerHeartbeat beat = generator.map(i);
                producer.send(new ProducerRecord<>(topic, beat.streamId().getBytes(StandardCharsets.UTF_8), Json.toBytes(beat)));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("produced %,d heartbeats to Kafka in %.1f s (%,.0f/s)%n", total, seconds, total / seconds);
        return KafkaSource.<ViewerHeartbeat>builder()
                .setBootstrapServers(infra.bootstrapServers())
                .setTopics(topic)
                .setGroupId("audience-bench-" + name)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new TimedDeserializer())
                .build();
    }

    /** The job's own deserialization, noting when the first heartbeat was read. */
    static final class TimedDeserializer implements KafkaRecordDeserializationSchema<ViewerHeartbeat> {
        private final ViewerHeartbeatDeserializationSchema inner = new ViewerHeartbeatDeserializationSchema();

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ViewerHeartbeat> out) throws java.io.IOException {
            if (firstBeatNanos.get() == 0) firstBeatNanos.compareAndSet(0, System.nanoTime());
            inner.deserialize(record, out);
        }

        @Override
        public TypeInformation<ViewerHeartbeat> getProducedType() {
            return TypeInformation.of(ViewerHeartbeat.class);
        }
    }

    /** Keeps the counts in {@link #collected} and notes when the last one came. */
    static final class CountsSink implements Sink<ViewerCount> {
        private final String name;

        CountsSink(String name) {
            this.name = name;
        }

        @Override
        public SinkWriter<ViewerCount> createWriter(WriterInitContext context) {
            List<ViewerCount> target = collected.get(name);
            return new SinkWriter<>() {
                @Override
                public void write(ViewerCount element, Context ctx) {
                    target.add(element);
                    lastCountNanos.accumulateAndGet(System.nanoTime(), Math::max);
                }

                @Override public void flush(boolean endOfInput) { }

                @Override public void close() { }
            };
        }
    }

    private AudienceBenchmark() {}
}
