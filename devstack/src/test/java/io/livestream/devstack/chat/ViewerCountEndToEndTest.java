package io.livestream.devstack.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.ChatGateway;
import io.livestream.chat.ChatGatewayConfig;
import io.livestream.common.json.Json;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.devstack.SharedInfra;
import io.livestream.jobs.AudienceJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Viewer counts end to end with real parts: player heartbeats through a gateway's POST /api/streams/{id}/heartbeat
 * to Kafka, the audience job on a MiniCluster, its Redis hash, and GET /api/streams/{id}/viewers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ViewerCountEndToEndTest {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void heartbeatsBecomeACountAndAPeakReadThroughTheApi() throws Exception {
        SharedInfra infra = SharedInfra.get();
        StreamRegistry registry = infra.newRegistry();
        String id = registry.create("viewers e2e", "cat", null).stream().id();
        registry.goLive(id);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        AudienceJob.fromParams(ParameterTool.fromArgs(new String[] {
                "--bootstrap", infra.bootstrapServers(), "--redis", infra.redisUri(), "--key-prefix", registry.keyPrefix(),
                "--group-id", "audience-e2e-" + registry.keyPrefix(),
                "--heartbeat-start-timestamp", String.valueOf(System.currentTimeMillis() - 1_000)})).build(env);
        JobClient job = env.executeAsync("audience-e2e");
        ScheduledExecutorService players = Executors.newSingleThreadScheduledExecutor();
        try (ChatGateway gw = new ChatGateway(ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(),
                "viewer-e2e-secret-0123456789").withPort(0).withKeyPrefix(registry.keyPrefix()))) {
            gw.start();
            URI beat = URI.create("http://localhost:" + gw.port() + "/api/streams/" + id + "/heartbeat");
            players.scheduleAtFixedRate(() -> {
                for (String[] viewer : new String[][] {{"v1", "720p"}, {"v2", "720p"}, {"v3", "360p"}}) {
                    post(beat, Map.of("vsid", viewer[0], "rendition", viewer[1]));
                }
            }, 0, 1, TimeUnit.SECONDS);

            URI viewers = URI.create("http://localhost:" + gw.port() + "/api/streams/" + id + "/viewers");
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> get(viewers).path("count").asLong() == 3);
            JsonNode counts = get(viewers);
            assertThat(counts.path("peak").asLong()).isEqualTo(3);
            assertThat(counts.path("byRendition").path("720p").asLong()).isEqualTo(2);
            assertThat(counts.path("byRendition").path("360p").asLong()).isEqualTo(1);
            assertThat(infra.redis().hget(registry.keyPrefix() + "viewers:" + id, "peakSince"))
                    .isEqualTo(registry.get(id).orElseThrow().liveSince() + "");
        } finally {
            players.shutdownNow();
            job.cancel().get(10, TimeUnit.SECONDS);
        }
    }

    void post(URI uri, Map<String, String> body) {
        try {
            http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(Json.toString(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // the next round retries
        }
    }

    JsonNode get(URI uri) throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
