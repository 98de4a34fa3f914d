package io.livestream.devstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.cli.Flags;
import io.livestream.common.json.Json;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.SharedInfra;
import io.livestream.edge.RtmpEdgeMain;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.OriginMain;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone edge and origin as the compose file runs them (flags in, real Kafka and Redis): a stream created
 * through the origin's API goes live when ffmpeg publishes to the edge, and ending it through the API drops the
 * publisher at the edge (registry pub/sub), long before ffmpeg would have stopped by itself.
 */
class ProductionMainsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void anApiEndDropsThePublisherAtAStandaloneEdge() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String prefix = infra.uniqueKeyPrefix();
        String operator = infra.operatorToken(prefix);
        int httpPort = freePort();
        Map<String, String> env = Map.of("LIVESTREAM_BOOTSTRAP", infra.bootstrapServers(), "LIVESTREAM_REDIS", infra.redisUri(),
                "LIVESTREAM_KEY_PREFIX", prefix);
        try (RtmpEdgeMain edge = new RtmpEdgeMain(RtmpEdgeMain.Settings.fromFlags(Flags.parse(
                new String[] {"--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1"}, env)))) {
            int rtmpPort = edge.start();
            HlsOriginConfig config = OriginMain.configFrom(Flags.parse(new String[] {"--host", "127.0.0.1",
                    "--port", String.valueOf(httpPort), "--public-host", "127.0.0.1", "--rtmp-port", String.valueOf(rtmpPort),
                    "--recordings-dir", tmp.resolve("recordings").toString()}, env));
            try (HlsOrigin origin = new HlsOrigin(config)) {
                origin.start();
                String api = "http://127.0.0.1:" + httpPort;
                JsonNode created = Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(api + "/api/streams"))
                        .header("Authorization", "Bearer " + operator).POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"compose\",\"broadcasterId\":\"ops\"}")), 201));
                String id = created.get("id").asText();
                assertThat(created.get("ingestUrl").asText()).startsWith("rtmp://127.0.0.1:" + rtmpPort + "/live/");
                assertThat(send(HttpRequest.newBuilder(URI.create(api + "/watch/" + id)), 200)).as("the pages are served").contains("<html");

                Path log = tmp.resolve("ffmpeg.log");
                Process ffmpeg = FfmpegProgram.publishTestPattern(created.get("ingestUrl").asText(), "160x120", 15, 60, log);
                try {
                    Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                            .until(() -> status(api, id).equals("live"));
                    long endedAt = System.nanoTime();
                    send(HttpRequest.newBuilder(URI.create(api + "/api/streams/" + id + "/end"))
                            .header("Authorization", "Bearer " + created.get("broadcasterToken").asText())
                            .POST(HttpRequest.BodyPublishers.noBody()), 200);

                    assertThat(ffmpeg.waitFor(10, TimeUnit.SECONDS)).as("ffmpeg dropped by the edge").isTrue();
                    assertThat(Duration.ofNanos(System.nanoTime() - endedAt)).isLessThan(Duration.ofSeconds(10));
                    assertThat(status(api, id)).isEqualTo("ended");
                } finally {
                    ffmpeg.destroyForcibly();
                }
            }
            edge.close();
            assertThat(isListening(rtmpPort)).as("the edge released its port on close").isFalse();
        }
    }

    private static String status(String api, String id) throws Exception {
        return Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(api + "/api/streams/" + id)), 200)).get("status").asText();
    }

    private static String send(HttpRequest.Builder request, int expectedStatus) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return response.body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
