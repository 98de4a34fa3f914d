package io.livestream.devstack.bench;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.StreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.common.time.Clock;
import io.livestream.devstack.infra.FreePorts;
import io.livestream.devstack.infra.InfraConfig;
import io.livestream.devstack.infra.Infrastructure;
import io.livestream.edge.RtmpEdgeMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.RedisClient;

/**
 * How many concurrent publishers one edge holds with no lost record: N ffmpeg {@code -re -c copy} publishers of a
 * 2.5 Mbit/s 720p30 clip for S seconds against an edge running in its own JVM (RtmpEdgeMain) with a real Kafka and
 * Redis. Prints the edge's CPU and RSS and compares the video frames each ffmpeg sent with what reached Kafka.
 *
 * <p>Run: {@code bench/edge-publishers.sh 20,50 60}
 */
public final class EdgePublishersBenchmark {
    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String n : (args.length > 0 ? args[0] : "20,50").split(",")) counts.add(Integer.parseInt(n.trim()));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("edge-bench");
        try (Infrastructure infra = Infrastructure.start(InfraConfig.embeddedOnFreePorts(dir));
             RedisClient redis = RedisClient.create(URI.create(infra.redisUri()))) {
            Path clip = dir.resolve("clip.flv");
            System.out.println("making a 10 s 2.5 Mbit/s 1280x720p30 H.264 + AAC clip...");
            List<String> make = new ArrayList<>(FfmpegProgram.testPatternInput("1280x720", 30, 10));
            make.set(make.indexOf("testsrc=size=1280x720:rate=30"), "testsrc2=size=1280x720:rate=30");
            make.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", "2400k", "-maxrate", "2400k",
                    "-bufsize", "2400k", "-x264-params", "nal-hrd=cbr", "-g", "60", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", "-y", clip.toString()));
            FfmpegProgram.run(make, dir.resolve("make-clip.log"));
            System.out.printf("%n| publishers | seconds | ingest Mbit/s | edge CPU (avg, %% of one core) | edge RSS peak MB | video frames sent | in Kafka | lost | dropped by edge |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
            for (int n : counts) {
                run(infra, new StreamRegistry(redis, StreamEventPublisher.NONE, Clock.SYSTEM, "bench" + n + ":"), clip, n, seconds, dir);
            }
        }
    }

    private static void run(Infrastructure infra, StreamRegistry registry, Path clip, int publishers, int seconds, Path dir) throws Exception {
        int port = FreePorts.pick(0);
        int metricsPort = FreePorts.pick(0);
        Process edge = new ProcessBuilder("java", "-Xmx1g", "-cp", System.getProperty("java.class.path"), RtmpEdgeMain.class.getName(),
                "--bootstrap", infra.bootstrapServers(), "--redis", infra.redisUri(), "--redis-prefix", "bench" + publishers + ":",
                "--port", String.valueOf(port), "--metrics-port", String.valueOf(metricsPort),
                // every publisher comes from 127.0.0.1 here, as they would from a TCP balancer in production
                "--max-connections-per-ip", "1000")
                .redirectErrorStream(true).redirectOutput(dir.resolve("edge-" + publishers + ".log").toFile()).start();
        try {
            while (!FreePorts.isListening("127.0.0.1", port, 200)) Thread.sleep(100);
            Map<String, String> keyById = new HashMap<>();
            for (int i = 0; i < publishers; i++) {
                CreatedStream s = registry.create("bench " + i, "bench", null);
                keyById.put(s.stream().id(), s.streamKey());
            }
            List<Process> ffmpegs = new ArrayList<>();
            Map<String, Path> progressById = new HashMap<>();
            for (var e : keyById.entrySet()) {
                Path progress = dir.resolve("progress-" + e.getKey() + ".txt");
                progressById.put(e.getKey(), progress);
                ffmpegs.add(FfmpegProgram.builder(FfmpegProgram.ffmpeg(), List.of("-hide_banner", "-nostdin", "-loglevel", "error",
                                "-re", "-stream_loop", "-1", "-i", clip.toString(), "-t", String.valueOf(seconds), "-c", "copy",
                                "-progress", progress.toString(), "-f", "flv", "rtmp://127.0.0.1:" + port + "/live/" + e.getValue()))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg-" + e.getKey() + ".log").toFile()).start());
            }
            double cpuStart = ProcStats.cpuSeconds(edge.pid());
            long start = System.nanoTime();
            long peakRss = 0;
            while (ffmpegs.stream().anyMatch(Process::isAlive)) {
                peakRss = Math.max(peakRss, ProcStats.rssMb(edge.pid()));
                Thread.sleep(1000);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = ProcStats.cpuSeconds(edge.pid()) - cpuStart;
            Thread.sleep(2000); // let the producer drain
            Map<String, Long> inKafka = videoFramesInKafka(infra.bootstrapServers(), keyById.keySet());
            long sent = 0;
            long lost = 0; // per stream: frames ffmpeg counted that Kafka does not have (its count lags the last frame)
            for (var e : progressById.entrySet()) {
                long s = framesSent(e.getValue());
                sent += s;
                lost += Math.max(0, s - inKafka.getOrDefault(e.getKey(), 0L));
            }
            long received = inKafka.values().stream().mapToLong(Long::longValue).sum();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            long failed = ffmpegs.stream().filter(p -> p.exitValue() != 0).count();
            System.out.printf("| %d%s | %d | %.0f | %.0f %% | %d | %d | %d | %d | %s |%n", publishers,
                    failed > 0 ? " (" + failed + " ffmpeg failed)" : "", seconds, publishers * 2.53, 100 * cpu / wall, peakRss,
                    sent, received, lost, metric(metrics, "rtmp_edge_records_dropped_total"));
        } finally {
            edge.destroy();
            edge.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The last frame= line of an ffmpeg -progress file: video frames it sent. */
    private static long framesSent(Path progress) throws Exception {
        long frames = 0;
        for (String line : Files.readAllLines(progress)) if (line.startsWith("frame=")) frames = Long.parseLong(line.substring(6).trim());
        return frames;
    }

    private static Map<String, Long> videoFramesInKafka(String bootstrap, java.util.Set<String> ids) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MEDIA_MAX_MESSAGE_BYTES);
        Map<String, Long> frames = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INGEST).stream()
                    .map(p -> new TopicPartition(Topics.INGEST, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String id = new String(r.key(), StandardCharsets.UTF_8);
                    if (!ids.contains(id)) continue;
                    IngestRecord rec = IngestRecordCodec.fromConsumerRecord(r);
                    if (rec.kind() == IngestRecord.Kind.VIDEO && !rec.sequenceHeader()) frames.merge(id, 1L, Long::sum);
                }
            }
        }
        return frames;
    }

    private static String metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("?");
    }

    private EdgePublishersBenchmark() {}
}
