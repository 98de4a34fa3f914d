package io.livestream.devstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production compose file, checked without a Docker engine: everything it and its Dockerfiles, scripts and
 * nginx.conf refer to exists, and the names they share agree.
 */
class ComposeFileTest {
    private static final Pattern MAIN_CLASS = Pattern.compile("io\\.livestream(\\.[a-z][a-z0-9]*)+\\.[A-Z][A-Za-z0-9]*");
    private static final Pattern UPSTREAM = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)}");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("server\\s+([\\w.-]+):(\\d+)");
    private static final Pattern PROXY_PASS = Pattern.compile("proxy_pass\\s+(?:http://)?(\\w+)\\s*;");
    private static final Pattern SUBMIT = Pattern.compile("^submit\\s+(\\S+)\\s+(\\S+)", Pattern.MULTILINE);

    private static Path root;
    private static JsonNode compose;
    private static Map<String, JsonNode> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("docker-compose.yml"))) root = root.getParent();
        assertThat(root).as("docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
        compose = new YAMLMapper().readTree(root.resolve("docker-compose.yml").toFile());
        services = new LinkedHashMap<>();
        compose.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
    }

    @Test
    void hasTheProductionTopology() {
        assertThat(services).containsKeys("kafka", "redis", "topics", "jobmanager", "taskmanager", "jobs-submit",
                "edge-1", "edge-2", "origin-1", "origin-2", "chat-1", "chat-2", "nginx");
        assertThat(services.get("redis").path("command").toString()).contains("appendonly");
        assertThat(services.get("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(services.get("jobmanager").path("command").asText()).isEqualTo("jobmanager");
        assertThat(services.get("taskmanager").path("command").asText()).isEqualTo("taskmanager");
        services.forEach((name, service) -> {
            boolean oneShot = name.equals("topics") || name.equals("jobs-submit");
            assertThat(service.path("restart").asText()).as(name + " restart policy")
                    .isEqualTo(oneShot ? "on-failure" : "unless-stopped");
            if (!oneShot && !name.equals("taskmanager")) assertThat(service.has("healthcheck")).as(name + " healthcheck").isTrue();
        });
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseContextAndDockerfileExist() throws IOException {
        for (var e : services.entrySet()) {
            JsonNode service = e.getValue();
            assertThat(service.has("image") || service.has("build")).as(e.getKey() + " has an image or a build").isTrue();
            if (!service.has("build")) continue;
            Path context = buildContext(service);
            assertThat(context).as(e.getKey() + " build context").isDirectory();
            Path dockerfile = dockerfile(service);
            assertThat(dockerfile).as(e.getKey() + " Dockerfile").isRegularFile();
            for (String source : copySources(dockerfile)) {
                assertThat(context.resolve(source)).as(dockerfile + " copies " + source).exists();
            }
        }
    }

    @Test
    void servicesBuiltFromTheSameImageNameUseTheSameDockerfile() {
        Map<String, Path> dockerfileByImage = new HashMap<>();
        services.forEach((name, service) -> {
            if (!service.has("build") || !service.has("image")) return;
            Path previous = dockerfileByImage.putIfAbsent(service.get("image").asText(), dockerfile(service));
            if (previous != null) assertThat(dockerfile(service)).as(name + " image " + service.get("image").asText()).isEqualTo(previous);
        });
    }

    @Test
    void everyBindMountedHostPathExistsAndEveryNamedVolumeIsDeclared() {
        Set<String> declared = new TreeSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declared::add);
        services.forEach((name, service) -> {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(root.resolve(source).normalize()).as(name + " mounts " + source).exists();
                } else {
                    assertThat(declared).as(name + " uses volume " + source).contains(source);
                }
            }
        });
    }

    @Test
    void everyDependencyNamesAServiceAndOneShotsAreAwaitedToCompletion() {
        services.forEach((name, service) -> {
            JsonNode dependsOn = service.path("depends_on");
            List<String> names = new ArrayList<>();
            if (dependsOn.isArray()) dependsOn.forEach(n -> names.add(n.asText()));
            else dependsOn.fieldNames().forEachRemaining(names::add);
            for (String dependency : names) {
                assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
                if (dependency.equals("topics")) {
                    assertThat(dependsOn.path(dependency).path("condition").asText()).as(name + " waits for the topics")
                            .isEqualTo("service_completed_successfully");
                }
            }
        });
    }

    @Test
    void noTwoServicesPublishTheSameHostPort() {
        Map<String, String> byHostPort = new HashMap<>();
        services.forEach((name, service) -> {
            for (JsonNode port : service.path("ports")) {
                String hostPort = port.asText().split(":")[0];
                assertThat(byHostPort.put(hostPort, name)).as("host port " + hostPort + " of " + name).isNull();
            }
        });
        assertThat(byHostPort).containsKeys("8080", "8090", "1935", "8081");
    }

    @Test
    void everyMainClassReferencedExistsWithAMainMethod() throws Exception {
        Set<String> referenced = new LinkedHashSet<>();
        for (JsonNode service : services.values()) {
            collect(service.path("entrypoint").toString(), referenced);
            collect(service.path("command").toString(), referenced);
            if (service.has("build")) collect(Files.readString(dockerfile(service)), referenced);
        }
        collect(Files.readString(root.resolve("deploy/flink/submit-jobs.sh")), referenced);

        assertThat(referenced).contains("io.livestream.edge.RtmpEdgeMain", "io.livestream.origin.OriginMain",
                "io.livestream.chat.ChatGateway", "io.livestream.common.cli.CreateTopics", "io.livestream.jobs.TranscodeJob",
                "io.livestream.jobs.HealthJob", "io.livestream.jobs.ChatJob", "io.livestream.jobs.AudienceJob");
        for (String name : referenced) {
            Method main = Class.forName(name).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(name + ".main is static").isTrue();
        }
    }

    @Test
    void theFlinkImageTakesTheShadedJobsJarTheDistProfileBuilds() throws IOException {
        String pom = Files.readString(root.resolve("jobs/pom.xml"));
        String dockerfile = Files.readString(root.resolve("deploy/flink/Dockerfile"));
        assertThat(pom).contains("<id>dist</id>").contains("<shadedClassifierName>flink-job</shadedClassifierName>");
        assertThat(dockerfile).contains("-Pdist").contains("jobs-*-flink-job.jar").contains("/opt/jobs.jar")
                .containsPattern("(?m)^FROM flink:2\\.2\\.1-");
        assertThat(Files.readString(root.resolve("deploy/flink/submit-jobs.sh"))).contains("JAR=/opt/jobs.jar");
    }

    @Test
    void theSubmitScriptNamesEachJobAsItsClassDoes() throws Exception {
        String script = Files.readString(root.resolve("deploy/flink/submit-jobs.sh"));
        Matcher m = SUBMIT.matcher(script);
        Map<String, String> submitted = new LinkedHashMap<>();
        while (m.find()) submitted.put(m.group(2), m.group(1));

        assertThat(submitted).hasSize(4);
        // the script skips a job whose name `flink list -r` shows running, so the names must be the real ones
        for (var e : submitted.entrySet()) {
            Object jobName = Class.forName(e.getKey()).getField("JOB_NAME").get(null);
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(jobName);
        }
        assertThat(Files.isExecutable(root.resolve("deploy/flink/submit-jobs.sh"))).isTrue();
    }

    @Test
    void nginxUpstreamsNameComposeServicesOnThePortsTheyListenOn() throws IOException {
        String conf = Files.readString(root.resolve("deploy/nginx/nginx.conf"));
        Matcher upstream = UPSTREAM.matcher(conf);
        Set<String> upstreams = new TreeSet<>();
        while (upstream.find()) {
            upstreams.add(upstream.group(1));
            Matcher server = UPSTREAM_SERVER.matcher(upstream.group(2));
            int servers = 0;
            while (server.find()) {
                servers++;
                String host = server.group(1);
                assertThat(services).as("upstream " + upstream.group(1) + " server " + host).containsKey(host);
                assertThat(listenPort(services.get(host))).as(host + " listens where nginx sends").isEqualTo(Integer.parseInt(server.group(2)));
            }
            assertThat(servers).as("servers of upstream " + upstream.group(1)).isGreaterThanOrEqualTo(2);
        }
        assertThat(upstreams).containsExactlyInAnyOrder("origins", "chat_gateways", "rtmp_edges");
        Matcher pass = PROXY_PASS.matcher(conf);
        while (pass.find()) assertThat(upstreams).as("proxy_pass " + pass.group(1)).contains(pass.group(1));
    }

    @Test
    void nginxCollapsesRequestsWithTheQueryStringInTheCacheKey() throws IOException {
        String conf = Files.readString(root.resolve("deploy/nginx/nginx.conf"));
        assertThat(conf).contains("proxy_cache_lock on;");
        for (Matcher key = Pattern.compile("proxy_cache_key\\s+([^;]+);").matcher(conf); key.find(); ) {
            assertThat(key.group(1)).as("cache key").contains("$args");
        }
        assertThat(conf).contains("proxy_set_header Upgrade $http_upgrade;");
        String api = conf.substring(conf.indexOf("location /api/ {"));
        assertThat(api.substring(0, api.indexOf('}'))).contains("proxy_no_cache 1;");
    }

    private static int listenPort(JsonNode service) {
        List<String> command = new ArrayList<>();
        service.path("command").forEach(n -> command.add(n.asText()));
        int i = command.indexOf("--port");
        assertThat(i).as("--port in " + command).isNotNegative();
        return Integer.parseInt(command.get(i + 1));
    }

    private static void collect(String text, Set<String> into) {
        Matcher m = MAIN_CLASS.matcher(text);
        while (m.find()) into.add(m.group());
    }

    private static Path buildContext(JsonNode service) {
        JsonNode build = service.get("build");
        return root.resolve(build.isTextual() ? build.asText() : build.path("context").asText(".")).normalize();
    }

    private static Path dockerfile(JsonNode service) {
        JsonNode build = service.get("build");
        return buildContext(service).resolve(build.isTextual() ? "Dockerfile" : build.path("dockerfile").asText("Dockerfile")).normalize();
    }

    /** Sources of COPY/ADD instructions that read the build context (not another stage). */
    static List<String> copySources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 3 || !(words[0].equalsIgnoreCase("COPY") || words[0].equalsIgnoreCase("ADD"))) continue;
            List<String> args = new ArrayList<>();
            boolean fromStage = false;
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("--from=")) fromStage = true;
                else if (!words[i].startsWith("--")) args.add(words[i]);
            }
            if (!fromStage) sources.addAll(args.subList(0, args.size() - 1));
        }
        return sources;
    }
}
