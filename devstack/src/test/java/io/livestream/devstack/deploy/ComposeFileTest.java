package io.livestream.devstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.livestream.devstack.cluster.KafkaNodeConfig;
import io.livestream.devstack.flink.FlinkCluster;
import io.livestream.edge.RtmpEdgeMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    private static final Pattern UPSTREAM = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)}");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("server\\s+([\\w.-]+):(\\d+)");
    private static final Pattern PROXY_PASS = Pattern.compile("proxy_pass\\s+(?:http://)?(\\w+)\\s*;");
    private static final Pattern HEALTHCHECK_URL = Pattern.compile("http://localhost:(\\d+)(/[\\w/-]*)");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> CONTROLLERS = List.of("kafka-controller-1", "kafka-controller-2", "kafka-controller-3");

    private static Path root;
    private static ComposeFile compose;
    private static Map<String, JsonNode> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        root = DeployedPrograms.repositoryRoot();
        compose = ComposeFile.read(root);
        services = compose.services;
    }

    @Test
    void hasTheProductionTopology() {
        assertThat(services).containsKeys("kafka-controller-1", "kafka-controller-2", "kafka-controller-3",
                "kafka-1", "kafka-2", "kafka-3", "redis", "topics", "jobmanager", "taskmanager",
                "jobs-submit", "edge-1", "edge-2", "origin-1", "origin-2", "chat-1", "chat-2", "nginx");
        assertThat(services.get("redis").path("command").toString()).contains("appendonly");
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
    void prometheusScrapesEveryOriginGatewayEdgeAndFlinkProcessWhereItServesMetrics() throws Exception {
        JsonNode config = new YAMLMapper().readTree(root.resolve("deploy/prometheus/prometheus.yml").toFile());
        Set<String> scraped = new TreeSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode target : job.path("static_configs").get(0).path("targets")) {
                String[] hostPort = target.asText().split(":");
                String name = hostPort[0];
                int port = Integer.parseInt(hostPort[1]);
                JsonNode service = services.get(name);
                assertThat(service).as("scrape target " + target.asText() + " is a compose service").isNotNull();
                scraped.add(name);
                String main = mainClass(service);
                if (main != null) {
                    assertThat(DeployedPrograms.servesMetrics(main, ComposeFile.command(service), port))
                            .as(target.asText() + ": " + main + " serves /metrics there").isTrue();
                } else {
                    // Flink: the reporter that flink-metrics-prometheus provides, on the scraped port
                    String properties = service.path("environment").path("FLINK_PROPERTIES").asText();
                    FlinkCluster.prometheusReporter(port).forEach((key, value) ->
                            assertThat(properties).as(name + " FLINK_PROPERTIES").contains(key + ": " + value));
                }
            }
        }
        Set<String> measured = new TreeSet<>();
        services.forEach((name, service) -> {
            if (name.matches("(origin|chat|edge)-\\d+|jobmanager|taskmanager")) measured.add(name);
        });
        assertThat(scraped).as("every origin, gateway, edge and Flink process is scraped").isEqualTo(measured);
        assertThat(services.get("prometheus").path("volumes").toString()).contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml");
    }

    @Test
    void grafanaProvisionsPrometheusAndTheDashboard() throws Exception {
        String volumes = services.get("grafana").path("volumes").toString();
        assertThat(volumes).contains("./deploy/grafana/provisioning:/etc/grafana/provisioning")
                .contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards");
        JsonNode source = new YAMLMapper().readTree(root.resolve("deploy/grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        assertThat(source.path("url").asText()).isEqualTo("http://prometheus:9090");
        JsonNode provider = new YAMLMapper().readTree(root.resolve("deploy/grafana/provisioning/dashboards/livestream.yml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
        JsonNode dashboard = io.livestream.common.json.Json.MAPPER.readTree(root.resolve("deploy/grafana/dashboards/livestream.json").toFile());
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(source.path("uid").asText());
            }
        }
    }

    @Test
    void threeDedicatedKraftControllersAndThreeBrokersKeepThreeReplicasWithTwoInSync() {
        Set<String> expectedVoters = Set.of("101@kafka-controller-1:9093", "102@kafka-controller-2:9093", "103@kafka-controller-3:9093");
        Set<String> nodeIds = new TreeSet<>();
        Set<String> clusterIds = new TreeSet<>();
        Set<String> volumes = new TreeSet<>();
        for (String controller : CONTROLLERS) {
            JsonNode env = services.get(controller).path("environment");
            // as the one-machine cluster (KafkaNodeConfig): a broker's loss elects no controller
            assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).as(controller + " roles").isEqualTo("controller");
            assertThat(voters(env)).as(controller + " quorum voters").isEqualTo(expectedVoters);
            assertThat(env.path("KAFKA_NODE_ID").asText() + "@" + controller + ":9093").as("a voter under its node id").isIn(expectedVoters);
            assertThat(env.path("KAFKA_BROKER_SESSION_TIMEOUT_MS").asText()).isEqualTo(String.valueOf(KafkaNodeConfig.BROKER_SESSION_TIMEOUT_MS));
            // the controller creates topics: without its own default a topic created without a factor has one replica
            assertThat(env.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asText()).as(controller).isEqualTo("3");
            nodeIds.add(env.path("KAFKA_NODE_ID").asText());
            clusterIds.add(env.path("CLUSTER_ID").asText());
            volumes.add(services.get(controller).path("volumes").get(0).asText().split(":")[0]);
        }
        for (String broker : BROKERS) {
            JsonNode env = services.get(broker).path("environment");
            assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).as(broker + " roles").isEqualTo("broker");
            assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).as(broker + " advertises itself").isEqualTo("PLAINTEXT://" + broker + ":9092");
            assertThat(voters(env)).as(broker + " quorum voters").isEqualTo(expectedVoters);
            assertThat(names(services.get(broker).path("depends_on"))).as(broker + " waits for the controllers").containsAll(CONTROLLERS);
            nodeIds.add(env.path("KAFKA_NODE_ID").asText());
            clusterIds.add(env.path("CLUSTER_ID").asText());
            volumes.add(services.get(broker).path("volumes").get(0).asText().split(":")[0]);
            // with fewer replicas than brokers a broker's death could lose acknowledged records or consumer offsets
            assertThat(env.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asText()).as(broker).isEqualTo("3");
            assertThat(env.path("KAFKA_MIN_INSYNC_REPLICAS").asText()).as(broker).isEqualTo("2");
            assertThat(env.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asText()).as(broker).isEqualTo("3");
            assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asText()).as(broker).isEqualTo("3");
            assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asText()).as(broker).isEqualTo("2");
        }
        assertThat(nodeIds).containsExactlyInAnyOrder("1", "2", "3", "101", "102", "103");
        assertThat(clusterIds).as("one cluster id").hasSize(1);
        assertThat(volumes).as("a data volume per node").hasSize(6);
        List<String> topics = ComposeFile.command(services.get("topics"));
        assertThat(topics.get(topics.indexOf("--replication-factor") + 1)).isEqualTo("3");
        assertThat(names(services.get("topics").path("depends_on"))).containsAll(BROKERS);
    }

    private static Set<String> voters(JsonNode env) {
        return new TreeSet<>(List.of(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText().split(",")));
    }

    @Test
    void everyBootstrapListNamesTheThreeBrokers() {
        List<String> expected = BROKERS.stream().map(b -> b + ":9092").toList();
        int lists = 0;
        for (var e : services.entrySet()) {
            List<String> command = ComposeFile.command(e.getValue());
            int i = command.indexOf("--bootstrap");
            String bootstrap = i >= 0 ? command.get(i + 1) : e.getValue().path("environment").path("KAFKA").asText(null);
            if (bootstrap == null) continue;
            lists++;
            assertThat(List.of(bootstrap.split(","))).as(e.getKey() + " bootstrap").containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(lists).as("services with a bootstrap list").isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseContextAndDockerfileExist() throws IOException {
        for (var e : services.entrySet()) {
            JsonNode service = e.getValue();
            assertThat(service.has("image") || service.has("build")).as(e.getKey() + " has an image or a build").isTrue();
            if (!service.has("build")) continue;
            Path context = compose.buildContext(service);
            assertThat(context).as(e.getKey() + " build context").isDirectory();
            Path dockerfile = compose.dockerfile(service);
            assertThat(dockerfile).as(e.getKey() + " Dockerfile").isRegularFile();
            for (String source : DeployedPrograms.copySources(dockerfile)) {
                assertThat(context.resolve(source)).as(dockerfile + " copies " + source).exists();
            }
        }
    }

    @Test
    void servicesBuiltFromTheSameImageNameUseTheSameDockerfile() {
        Map<String, Path> dockerfileByImage = new HashMap<>();
        services.forEach((name, service) -> {
            if (!service.has("build") || !service.has("image")) return;
            Path previous = dockerfileByImage.putIfAbsent(service.get("image").asText(), compose.dockerfile(service));
            if (previous != null) assertThat(compose.dockerfile(service)).as(name + " image " + service.get("image").asText()).isEqualTo(previous);
        });
    }

    @Test
    void everyBindMountedHostPathExistsAndEveryNamedVolumeIsDeclared() {
        Set<String> declared = new TreeSet<>();
        compose.document.path("volumes").fieldNames().forEachRemaining(declared::add);
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
            DeployedPrograms.collectMainClasses(service.path("entrypoint").toString(), referenced);
            DeployedPrograms.collectMainClasses(service.path("command").toString(), referenced);
            if (service.has("build")) DeployedPrograms.collectMainClasses(Files.readString(compose.dockerfile(service)), referenced);
        }
        DeployedPrograms.collectMainClasses(Files.readString(root.resolve("deploy/flink/submit-jobs.sh")), referenced);

        assertThat(referenced).contains("io.livestream.edge.RtmpEdgeMain", "io.livestream.origin.OriginMain",
                "io.livestream.chat.ChatGateway", "io.livestream.common.cli.CreateTopics", "io.livestream.jobs.TranscodeJob",
                "io.livestream.jobs.HealthJob", "io.livestream.jobs.ChatJob", "io.livestream.jobs.AudienceJob");
        for (String name : referenced) DeployedPrograms.assertHasStaticMain(name);
    }

    @Test
    void everyServiceFlagIsOneItsMainReads() throws IOException {
        int checked = 0;
        for (var e : services.entrySet()) {
            String main = mainClass(e.getValue());
            if (main == null) continue;
            // fails on a flag the main does not read: the service would exit 2 at start
            DeployedPrograms.listenPorts(main, ComposeFile.command(e.getValue()));
            checked++;
        }
        assertThat(checked).as("services running one of our mains").isEqualTo(7);
    }

    @Test
    void everyServiceHealthcheckAsksAnEndpointItsMainAnswers() throws IOException {
        int checked = 0;
        for (var e : services.entrySet()) {
            String main = mainClass(e.getValue());
            Matcher url = HEALTHCHECK_URL.matcher(e.getValue().path("healthcheck").path("test").toString());
            if (main == null || !url.find()) continue;
            assertThat(DeployedPrograms.answersHealthCheck(main, ComposeFile.command(e.getValue()), Integer.parseInt(url.group(1)), url.group(2)))
                    .as(e.getKey() + " healthcheck " + url.group()).isTrue();
            checked++;
        }
        assertThat(checked).as("edges, origins and chat gateways").isEqualTo(6);
    }

    @Test
    void theEdgeImageRunsTheEdgeWithTheJvmOptionsTheCodeGivesIt() throws IOException {
        // the same process footprint as ./livestream cluster up and the edge benchmarks (issue 13)
        assertThat(Files.readString(root.resolve("deploy/edge/Dockerfile")))
                .contains("ENV JAVA_TOOL_OPTIONS=\"" + String.join(" ", RtmpEdgeMain.JVM_OPTIONS) + "\"");
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
    void theSubmitScriptNamesEachJobAsItsClassDoesAndPassesOnlyArgumentsItReads() throws Exception {
        List<DeployedPrograms.SubmittedJob> submitted = DeployedPrograms.submittedJobs(root);

        assertThat(submitted).extracting(DeployedPrograms.SubmittedJob::entryClass)
                .containsExactlyInAnyOrderElementsOf(DeployedPrograms.jobEntryClasses());
        for (DeployedPrograms.SubmittedJob job : submitted) {
            // the script skips a job whose name `flink list -r` shows running, so the names must be the real ones
            assertThat(job.name()).as(job.entryClass()).isEqualTo(Class.forName(job.entryClass()).getField("JOB_NAME").get(null));
            assertThat(DeployedPrograms.unreadJobArguments(job.entryClass(), job.args())).as(job.name() + " arguments it never reads").isEmpty();
            DeployedPrograms.assertGivenEverySiteArgumentItReads(job.entryClass(), job.args());
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
        // origins_by_stream: the same origins, a stream always on one (playlists and media), the next while it is down
        assertThat(upstreams).containsExactlyInAnyOrder("origins", "origins_by_stream", "chat_gateways", "rtmp_edges");
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

    /** The port nginx may send to: the one the service's --port flag (or its main's default) gives. */
    private static int listenPort(JsonNode service) throws IOException {
        List<String> command = ComposeFile.command(service);
        int i = command.indexOf("--port");
        assertThat(i).as("--port in " + command).isNotNegative();
        int port = Integer.parseInt(command.get(i + 1));
        assertThat(DeployedPrograms.listenPorts(mainClass(service), command)).as("ports of " + command).contains(port);
        return port;
    }

    /** The main class a service runs: its entrypoint's, or else its Dockerfile's; null for an upstream image. */
    private static String mainClass(JsonNode service) throws IOException {
        Matcher entrypoint = DeployedPrograms.MAIN_CLASS.matcher(service.path("entrypoint").toString());
        if (entrypoint.find()) return entrypoint.group();
        if (!service.has("build")) return null;
        return DeployedPrograms.entrypointMainClass(compose.dockerfile(service));
    }

    private static Set<String> names(JsonNode map) {
        Set<String> names = new TreeSet<>();
        map.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
