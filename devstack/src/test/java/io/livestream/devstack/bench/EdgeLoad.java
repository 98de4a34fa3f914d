package io.livestream.devstack.bench;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.infra.Infrastructure;
import io.livestream.edge.RtmpEdgeMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The publisher load of the edge benchmarks: the clip, N ffmpeg {@code -re -c copy} publishers, and what reached Kafka. */
final class EdgeLoad {
    /** A 10 s 2.5 Mbit/s 1280x720p30 H.264 CBR + AAC clip, 2 s GOPs. */
    static Path makeClip(Path dir) throws IOException, InterruptedException {
        Path clip = dir.resolve("clip.flv");
        System.out.println("making a 10 s 2.5 Mbit/s 1280x720p30 H.264 + AAC clip...");
        List<String> make = new ArrayList<>(FfmpegProgram.testPatternInput("1280x720", 30, 10));
        make.set(make.indexOf("testsrc=size=1280x720:rate=30"), "testsrc2=size=1280x720:rate=30");
        make.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", "2400k", "-maxrate", "2400k",
                "-bufsize", "2400k", "-x264-params", "nal-hrd=cbr", "-g", "60", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-y", clip.toString()));
        FfmpegProgram.run(make, dir.resolve("make-clip.log"));
        return clip;
    }

    /** Publishers running: one ffmpeg per URL, each writing its -progress file. */
    record Publishers(List<Process> processes, Map<String, Path> progressByName) {
        boolean anyAlive() {
            return processes.stream().anyMatch(Process::isAlive);
        }

        long failed() {
            return processes.stream().filter(p -> !p.isAlive() && p.exitValue() != 0).count();
        }

        /** Per name, the video frames ffmpeg reports having sent. */
        Map<String, Long> framesSent() throws IOException {
            Map<String, Long> sent = new HashMap<>();
            for (var e : progressByName.entrySet()) sent.put(e.getKey(), EdgeLoad.framesSent(e.getValue()));
            return sent;
        }
    }

    /** Starts one {@code -re -stream_loop -1 -c copy} ffmpeg of {@code seconds} per entry of {@code urlByName}. */
    static Publishers publish(Path clip, Map<String, String> urlByName, int seconds, Path dir, String tag) throws IOException {
        List<Process> processes = new ArrayList<>();
        Map<String, Path> progress = new HashMap<>();
        for (var e : urlByName.entrySet()) {
            Path file = dir.resolve("progress-" + tag + "-" + e.getKey() + ".txt");
            progress.put(e.getKey(), file);
            processes.add(FfmpegProgram.builder(FfmpegProgram.ffmpeg(), List.of("-hide_banner", "-nostdin", "-loglevel", "error",
                            "-re", "-stream_loop", "-1", "-i", clip.toString(), "-t", String.valueOf(seconds), "-c", "copy",
                            "-progress", file.toString(), "-f", "flv", e.getValue()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg-" + tag + "-" + e.getKey() + ".log").toFile()).start());
        }
        return new Publishers(processes, progress);
    }

    /** The last frame= line of an ffmpeg -progress file: video frames it sent. */
    static long framesSent(Path progress) throws IOException {
        long frames = 0;
        if (!Files.exists(progress)) return 0;
        for (String line : Files.readAllLines(progress)) if (line.startsWith("frame=")) frames = Long.parseLong(line.substring(6).trim());
        return frames;
    }

    /** Per stream id, the video records (sequence headers aside) in live.ingest. */
    static Map<String, Long> videoFramesInKafka(String bootstrap, Set<String> ids) {
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

    /** Frames ffmpeg counted that Kafka does not have, summed over streams (ffmpeg's count lags its last frame). */
    static long lost(Map<String, Long> sent, Map<String, Long> inKafka) {
        long lost = 0;
        for (var e : sent.entrySet()) lost += Math.max(0, e.getValue() - inKafka.getOrDefault(e.getKey(), 0L));
        return lost;
    }

    /**
     * The edge's JVM options: the production ones ({@link RtmpEdgeMain#JVM_OPTIONS}) unless {@code EDGE_JVM_OPTS}
     * (space-separated) overrides them, which is how a before/after of a flag is measured.
     */
    static List<String> edgeJvmOptions() {
        String override = System.getenv("EDGE_JVM_OPTS");
        return override == null || override.isBlank() ? RtmpEdgeMain.JVM_OPTIONS : List.of(override.trim().split("\\s+"));
    }

    /** The production edge (RtmpEdgeMain) in a JVM of its own, against the benchmark's Kafka and Redis. */
    static Process startEdge(Infrastructure infra, String keyPrefix, int port, int metricsPort, Path log) throws IOException {
        return startEdge(RtmpEdgeMain.class, infra, keyPrefix, port, metricsPort, log);
    }

    /** {@code main} (RtmpEdgeMain or a variant with the same flags) in a JVM of its own with the edge's JVM options. */
    static Process startEdge(Class<?> main, Infrastructure infra, String keyPrefix, int port, int metricsPort, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(edgeJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(),
                "--bootstrap", infra.bootstrapServers(), "--redis", infra.redisUri(), "--key-prefix", keyPrefix,
                "--port", String.valueOf(port), "--metrics-port", String.valueOf(metricsPort),
                // every publisher comes from 127.0.0.1 here, as they would from a TCP balancer in production
                "--max-connections-per-ip", "1000"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Creates {@code count} streams; returns stream id to stream key. */
    static Map<String, String> createStreams(StreamRegistry registry, int count) {
        Map<String, String> keyById = new HashMap<>();
        for (int i = 0; i < count; i++) {
            CreatedStream s = registry.create("bench " + i, "bench", null);
            keyById.put(s.stream().id(), s.streamKey());
        }
        return keyById;
    }

    /** One value of a Prometheus text exposition, "?" when absent. */
    static String metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("?");
    }

    private EdgeLoad() {}
}
