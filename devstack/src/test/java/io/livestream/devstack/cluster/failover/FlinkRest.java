package io.livestream.devstack.cluster.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.devstack.cluster.ClusterLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the failover suite reads from the JobManager's REST API (the dashboard's own calls). */
final class FlinkRest {
    private static final Set<String> TERMINAL = Set.of("FAILED", "CANCELED", "FINISHED");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ClusterLayout.DASHBOARD_PORT + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException(path + " answered " + response.statusCode());
        return Json.MAPPER.readTree(response.body());
    }

    String jobId(String name) throws Exception {
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (job.path("name").asText().equals(name) && !TERMINAL.contains(job.path("state").asText())) return job.path("jid").asText();
        }
        throw new AssertionError("no active job " + name);
    }

    List<String> runningJobNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) if (job.path("state").asText().equals("RUNNING")) names.add(job.path("name").asText());
        return names;
    }

    String state(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    long restoredCount(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("restored").asLong();
    }

    long lastRestoredId(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored").path("id").asLong(-1);
    }

    String restoredExternalPath(String jobId) throws Exception {
        JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.isMissingNode() || restored.isNull() ? null : restored.path("external_path").asText();
    }

    /** The index of the TaskManager (resource id taskmanager-N) running the job's first vertex. */
    int taskManagerOf(String jobId) throws Exception {
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (id.startsWith("taskmanager-")) return Integer.parseInt(id.substring("taskmanager-".length()));
            }
        }
        throw new AssertionError("job " + jobId + " runs on no known TaskManager");
    }
}
