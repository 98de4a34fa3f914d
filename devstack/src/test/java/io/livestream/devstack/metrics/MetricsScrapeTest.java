package io.livestream.devstack.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.DevStack;
import io.livestream.devstack.DevStackConfig;
import io.livestream.devstack.SharedInfra;
import io.livestream.devstack.infra.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service of the dev stack answers Prometheus text at /metrics (origin, chat gateway, edge, the Flink jobs
 * through the Prometheus reporter) while a stream is published and watched, and every metric the Grafana dashboard
 * in deploy/ names is in one of those scrapes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MetricsScrapeTest {
    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "livestream.json");
    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)", Pattern.MULTILINE);
    private static final Pattern METRIC_IN_QUERY = Pattern.compile("\\b((?:origin|chat|rtmp_edge|flink)_[a-zA-Z0-9_]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path data;

    @Test
    void everyServiceIsScrapedAndTheDashboardNamesOnlyMetricsThatExist() throws Exception {
        SharedInfra infra = SharedInfra.get();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", infra.bootstrapServers());
        env.put("REDIS_URL", infra.redisUri());
        try (DevStack stack = new DevStack(DevStackConfig.parse(new String[] {"--data", data.toString(), "--rtmp-port", "0",
                "--http-port", "0", "--dashboard-port", "0", "--metrics-port", "0", "--chat-port", "0",
                "--flink-metrics-port", String.valueOf(FreePorts.pick(0)), "--https-port", "-1", "--preset", "ultrafast", "--ladder", "source,180p:200"}, env), env)) {
            stack.start();
            CreatedStream stream = stack.registry().create("metrics", "ops", null);
            Process publisher = FfmpegProgram.publishTestPattern("rtmp://127.0.0.1:" + stack.rtmpPort() + "/live/" + stream.streamKey(),
                    "320x180", 25, 40, data.resolve("ffmpeg.log"));
            try {
                String origin = "http://127.0.0.1:" + stack.httpPort();
                String playlist = origin + "/live/" + stream.stream().id() + "/source/index.m3u8";
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> get(playlist).statusCode() == 200 && get(playlist).body().contains("#EXTINF"));

                Map<String, String> scrapes = new LinkedHashMap<>();
                scrapes.put("origin", origin + "/metrics");
                scrapes.put("chat", "http://127.0.0.1:" + stack.chatPort() + "/metrics");
                scrapes.put("edge", "http://127.0.0.1:" + stack.edgeMetricsPort() + "/metrics");
                scrapes.put("flink", "http://127.0.0.1:" + stack.flinkMetricsPort() + "/metrics");
                Set<String> names = new TreeSet<>();
                // the Kafka source's lag appears once its readers were assigned partitions: scrape until it has
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    names.clear();
                    for (Map.Entry<String, String> service : scrapes.entrySet()) {
                        HttpResponse<String> scrape = get(service.getValue());
                        assertThat(scrape.statusCode()).as(service.getKey()).isEqualTo(200);
                        assertThat(scrape.headers().firstValue("content-type").orElse("")).as(service.getKey()).startsWith("text/plain");
                        Matcher m = SAMPLE_NAME.matcher(scrape.body());
                        while (m.find()) names.add(m.group(1));
                    }
                    Set<String> missing = new TreeSet<>(dashboardMetrics());
                    missing.removeAll(names);
                    if (!missing.isEmpty()) System.out.println("not scraped yet: " + missing);
                    return missing.isEmpty();
                });
                System.out.println("Flink metrics: " + names.stream().filter(n -> n.startsWith("flink_")).toList());
                assertThat(names).contains("origin_http_requests_total", "chat_open_sockets", "rtmp_edge_publishers");
                assertThat(names).anyMatch(n -> n.startsWith("flink_taskmanager_job_task_operator_"));
                Set<String> dashboard = dashboardMetrics();
                assertThat(dashboard).as("the dashboard shows every service").anyMatch(n -> n.startsWith("origin_"))
                        .anyMatch(n -> n.startsWith("chat_")).anyMatch(n -> n.startsWith("rtmp_edge_")).anyMatch(n -> n.startsWith("flink_"));
                assertThat(names).as("every metric the dashboard names exists").containsAll(dashboard);
                assertThat(get(origin + "/metrics").body()).contains("origin_http_requests_total{route=\"Media\",status=\"200\"}");
            } finally {
                publisher.destroyForcibly();
            }
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("dashboard metrics missing from the scrapes: " + e.getMessage(), e);
        }
    }

    /** Every metric name the dashboard's queries use (a _bucket/_count/_sum suffix names its histogram's series). */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = Json.MAPPER.readTree(Files.readAllBytes(DASHBOARD));
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC_IN_QUERY.matcher(target.path("expr").asText());
                while (m.find()) metrics.add(m.group(1));
            }
        }
        return metrics;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
