package io.livestream.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits the job jar to the session cluster through Flink's REST API, as {@code flink run -d} would: upload once
 * ({@code /jars/upload}), then {@code /jars/{id}/run} per job, from its latest retained checkpoint when there is one.
 * Jobs already running are left alone, so it is safe to call after every JobManager start.
 */
public final class FlinkJobSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkJobSubmitter.class);

    /** Where a job's latest retained checkpoint is, if any (the path of its chk-N directory or _metadata). */
    @FunctionalInterface
    public interface CheckpointFinder {
        Optional<String> latest(String jobName);
    }

    private final String restBase;
    private final Path jobJar;
    private final CheckpointFinder checkpoints;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkJobSubmitter(String restBase, Path jobJar, CheckpointFinder checkpoints) {
        this.restBase = restBase;
        this.jobJar = jobJar;
        this.checkpoints = checkpoints;
    }

    /** Submits every job of {@code jobs} that is not running; returns the names it submitted. */
    public List<String> submitMissing(List<ClusterJobs.Job> jobs) throws IOException, InterruptedException {
        Set<String> active = activeJobNames();
        List<ClusterJobs.Job> missing = jobs.stream().filter(job -> !active.contains(job.name())).toList();
        if (missing.isEmpty()) return List.of();
        String jarId = upload();
        // side by side: each run executes the job's main in the JobManager (building its graph takes seconds), and
        // after a JobManager restart every job is down until its own run returns
        ExecutorService submitting = Executors.newFixedThreadPool(missing.size()); // not the common pool: 1 thread on 2 cores
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (ClusterJobs.Job job : missing) {
            runs.add(CompletableFuture.runAsync(() -> {
                try {
                    run(jarId, job);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
            }, submitting));
        }
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw e;
        } finally {
            submitting.shutdown();
        }
        return missing.stream().map(ClusterJobs.Job::name).toList();
    }

    /** Names of the jobs that are not in a terminal state. */
    public Set<String> activeJobNames() throws IOException, InterruptedException {
        JsonNode overview = get("/jobs/overview");
        return StreamSupport.stream(overview.path("jobs").spliterator(), false)
                .filter(job -> !Set.of("FAILED", "CANCELED", "FINISHED").contains(job.path("state").asText()))
                .map(job -> job.path("name").asText())
                .collect(Collectors.toSet());
    }

    /** Job name to state (RUNNING, RESTARTING, ...), for the jobs that are not in a terminal state. */
    public Map<String, String> jobStates() throws IOException, InterruptedException {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            String state = job.path("state").asText();
            if (!Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) states.put(job.path("name").asText(), state);
        }
        return states;
    }

    public int registeredTaskManagers() throws IOException, InterruptedException {
        return get("/overview").path("taskmanagers").asInt();
    }

    private String upload() throws IOException, InterruptedException {
        String boundary = "----livestream" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jobJar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        // tens of MB: streamed from the file, not held in the heap
        HttpRequest request = HttpRequest.newBuilder(URI.create(restBase + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jobJar), HttpRequest.BodyPublishers.ofByteArray(tail))).build();
        JsonNode response = send(request);
        String file = response.path("filename").asText();
        if (file.isEmpty()) throw new IOException("jar upload answered without a filename: " + response);
        return Path.of(file).getFileName().toString();
    }

    private void run(String jarId, ClusterJobs.Job job) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entryClass", job.entryClass());
        body.put("programArgsList", job.programArgs());
        body.put("parallelism", FlinkClusterConfig.PARALLELISM);
        Optional<String> checkpoint = checkpoints.latest(job.name());
        checkpoint.ifPresent(path -> {
            body.put("savepointPath", path);
            // an operator removed since the checkpoint must not keep the job from starting
            body.put("allowNonRestoredState", true);
        });
        HttpRequest request = HttpRequest.newBuilder(URI.create(restBase + "/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(body))).build();
        JsonNode response = send(request);
        LOG.info("submitted job {} as {}{}", job.name(), response.path("jobid").asText(),
                checkpoint.map(path -> " from retained checkpoint " + path).orElse(" with empty state"));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(restBase + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Json.MAPPER.readTree(response.body());
    }
}
