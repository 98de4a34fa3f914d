package io.livestream.devstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.livestream.common.kafka.Topics;
import io.livestream.devstack.cluster.KafkaNodeConfig;
import io.livestream.devstack.flink.FlinkCluster;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s, checked without a Kubernetes cluster, as {@link ComposeFileTest} checks the compose file: every image,
 * port, flag, job argument and topic the manifests name is one the code has, and the resources refer to each other
 * correctly. The Flink jobs' FlinkDeployments are checked with the shared defaults patch applied, as kustomize does.
 */
class K8sManifestsTest {
    private static final String JOB_JAR = "/opt/jobs.jar";
    private static final Pattern FLINK_BASE_IMAGE = Pattern.compile("(?m)^FROM flink:(\\d+)\\.(\\d+)\\.\\d+");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("server\\s+([\\w.-]+):(\\d+)");
    private static final Pattern NGINX_LISTEN = Pattern.compile("listen\\s+(\\d+)");

    private static Path root;
    private static Path folder;
    private static ComposeFile compose;
    private static JsonNode kustomization;
    /** Every resource of every file the kustomization lists, patches applied. */
    private static final List<JsonNode> resources = new ArrayList<>();

    @BeforeAll
    static void readManifests() throws IOException {
        root = DeployedPrograms.repositoryRoot();
        folder = root.resolve("deploy/k8s");
        compose = ComposeFile.read(root);
        YAMLMapper yaml = new YAMLMapper();
        kustomization = yaml.readTree(folder.resolve("kustomization.yaml").toFile());
        List<JsonNode> patches = new ArrayList<>();
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode document = yaml.readTree(folder.resolve(patch.path("path").asText()).toFile());
            ((ObjectNode) document).set("target", patch.path("target"));
            patches.add(document);
        }
        for (JsonNode file : kustomization.path("resources")) {
            for (JsonNode resource : documents(yaml, folder.resolve(file.asText()))) {
                for (JsonNode patch : patches) {
                    if (patch.path("target").path("kind").asText().equals(resource.path("kind").asText())) {
                        resource = mergePatch(resource, patch.path("spec"), "spec");
                    }
                }
                resources.add(resource);
            }
        }
    }

    @Test
    void theKustomizationListsEveryFileOfTheFolderAndOnlyFilesThatExist() throws IOException {
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(n -> listed.add(n.asText()));
        kustomization.path("patches").forEach(n -> listed.add(n.path("path").asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).forEach(present::add);
        }
        assertThat(listed).isEqualTo(present);
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            for (JsonNode file : generator.path("files")) {
                String source = file.asText().substring(file.asText().indexOf('=') + 1);
                assertThat(folder.resolve(source).normalize()).as("configMapGenerator file " + source).isRegularFile();
            }
        }
    }

    @Test
    void everyResourceIsNamedAndNoTwoWorkloadsShareAName() {
        Map<String, String> workloadNames = new HashMap<>();
        for (JsonNode resource : resources) {
            assertThat(resource.path("apiVersion").asText()).as("apiVersion of " + resource).isNotEmpty();
            assertThat(name(resource)).as("name of a " + kind(resource)).isNotEmpty();
            // the Flink operator creates a Deployment and a Service named after each FlinkDeployment
            if (Set.of("Deployment", "StatefulSet", "FlinkDeployment").contains(kind(resource))) {
                assertThat(workloadNames.put(name(resource), kind(resource))).as("another workload named " + name(resource)).isNull();
            }
        }
        for (JsonNode service : ofKind("Service")) {
            assertThat(workloadNames.get(name(service))).as("Service " + name(service) + " against the operator's for a job")
                    .isNotEqualTo("FlinkDeployment");
        }
    }

    @Test
    void everyImageIsOneTheDockerfilesBuildOrAPinnedUpstreamImage() {
        Map<String, Path> built = compose.builtImages();
        Map<String, String> composeUpstream = new HashMap<>();
        compose.services.values().stream().filter(s -> !s.has("build") && s.has("image"))
                .forEach(s -> composeUpstream.put(repository(s.get("image").asText()), s.get("image").asText()));
        List<String> images = new ArrayList<>();
        for (JsonNode resource : resources) {
            if (kind(resource).equals("FlinkDeployment")) images.add(resource.path("spec").path("image").asText());
            for (JsonNode container : containers(resource)) images.add(container.path("image").asText());
        }
        assertThat(images).isNotEmpty();
        for (String image : images) {
            if (image.startsWith("livestream/")) {
                assertThat(built).as("an image the compose file builds from deploy/").containsKey(image);
                continue;
            }
            assertThat(image).as("a pinned upstream image").matches("[\\w./-]+:[\\w.-]*\\d[\\w.-]*").doesNotEndWith(":latest");
            // one version of a program across the shapes
            String inCompose = composeUpstream.get(repository(image));
            if (inCompose != null) assertThat(image).as("the image compose runs").isEqualTo(inCompose);
        }
    }

    @Test
    void everyServiceContainerListensOnItsDeclaredPortsWithFlagsItsMainReads() throws IOException {
        int checked = 0;
        for (JsonNode workload : workloads()) {
            for (JsonNode container : containers(workload)) {
                Path dockerfile = compose.builtImages().get(container.path("image").asText());
                if (dockerfile == null) continue;
                String main = DeployedPrograms.entrypointMainClass(dockerfile);
                assertThat(main).as(dockerfile + " runs a main").isNotNull();
                assertThat(container.has("command")).as(name(workload) + " keeps the image's entrypoint").isFalse();
                List<String> args = texts(container.path("args"));
                assertThat(declaredPorts(container).values()).as(name(workload) + " container ports")
                        .containsExactlyInAnyOrderElementsOf(DeployedPrograms.listenPorts(main, args));
                assertThat(DeployedPrograms.flagValues(args).get("bootstrap")).as(name(workload) + " brokers").isEqualTo(kafkaBootstrap());
                assertThat(DeployedPrograms.flagValues(args).get("redis")).as(name(workload) + " Redis").isEqualTo(redisUri());
                checked++;
            }
        }
        assertThat(checked).as("edge, origin and chat gateway containers").isEqualTo(3);
    }

    @Test
    void theServicesRunTwiceWithProbesOnEndpointsTheyServe() throws IOException {
        for (String image : List.of("livestream/edge:latest", "livestream/origin:latest", "livestream/chat:latest")) {
            JsonNode workload = workloads().stream().filter(w -> containers(w).stream()
                    .anyMatch(c -> c.path("image").asText().equals(image))).findFirst().orElseThrow(() -> new AssertionError("no " + image));
            assertThat(workload.path("spec").path("replicas").asInt()).as(image + " replicas").isEqualTo(2);
            String main = DeployedPrograms.entrypointMainClass(compose.builtImages().get(image));
            for (JsonNode container : containers(workload)) {
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode get = container.path(probe).path("httpGet");
                    Integer port = containerPort(container, get.path("port"));
                    assertThat(port).as(image + " " + probe + " on a declared port").isNotNull();
                    assertThat(DeployedPrograms.answersHealthCheck(main, texts(container.path("args")), port, get.path("path").asText()))
                            .as(image + " " + probe + " " + get + ": the main answers it there").isTrue();
                }
            }
        }
    }

    @Test
    void everyServiceSelectsAWorkloadAndTargetsAPortItsContainersDeclare() {
        for (JsonNode workload : workloads()) {
            assertThat(selects(workload.path("spec").path("selector").path("matchLabels"), workload))
                    .as(name(workload) + " selects its own pods").isTrue();
        }
        assertThat(ofKind("Service")).isNotEmpty();
        for (JsonNode service : ofKind("Service")) {
            JsonNode selector = service.path("spec").path("selector");
            List<JsonNode> selected = workloads().stream().filter(w -> selects(selector, w)).toList();
            assertThat(selected).as("workloads Service " + name(service) + " selects").isNotEmpty();
            for (JsonNode port : service.path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                for (JsonNode workload : selected) {
                    assertThat(containers(workload).stream().map(c -> containerPort(c, target)).filter(Objects::nonNull))
                            .as("Service " + name(service) + " port " + target + " on " + name(workload)).isNotEmpty();
                }
            }
        }
    }

    @Test
    void nginxRunsTheComposeConfigAndItsUpstreamsAreServicesOnTheirPorts() throws IOException {
        JsonNode generator = kustomization.path("configMapGenerator").get(0);
        assertThat(texts(generator.path("files"))).containsExactly("nginx.conf=../nginx/nginx.conf");
        JsonNode nginx = workloads().stream().filter(w -> name(w).equals("nginx")).findFirst()
                .orElseThrow(() -> new AssertionError("an nginx workload"));
        assertThat(nginx.path("spec").path("template").path("spec").path("volumes").toString())
                .contains("\"name\":\"" + generator.path("name").asText() + "\"");
        JsonNode container = containers(nginx).get(0);
        assertThat(container.path("volumeMounts").toString()).contains("\"mountPath\":\"/etc/nginx/nginx.conf\"");

        String conf = Files.readString(root.resolve("deploy/nginx/nginx.conf"));
        Set<Integer> listens = new TreeSet<>();
        for (Matcher m = NGINX_LISTEN.matcher(conf); m.find(); ) listens.add(Integer.parseInt(m.group(1)));
        assertThat(declaredPorts(container).values()).containsExactlyInAnyOrderElementsOf(listens);
        Map<String, JsonNode> services = new HashMap<>();
        ofKind("Service").forEach(s -> services.put(name(s), s));
        for (Matcher m = UPSTREAM_SERVER.matcher(conf); m.find(); ) {
            JsonNode service = services.get(m.group(1));
            assertThat(service).as("a Service named as nginx's upstream " + m.group(1)).isNotNull();
            assertThat(service.path("spec").path("ports").findValuesAsText("port")).as(m.group(1) + " ports").contains(m.group(2));
        }
        JsonNode front = ofKind("Service").stream().filter(s -> s.path("spec").path("type").asText().equals("LoadBalancer"))
                .findFirst().orElseThrow(() -> new AssertionError("a LoadBalancer Service"));
        assertThat(front.path("spec").path("ports").findValuesAsText("port")).containsExactlyInAnyOrder("1935", "8080", "8090");
        assertThat(selects(front.path("spec").path("selector"), nginx)).isTrue();
    }

    @Test
    void oneFlinkDeploymentPerJobWithTheSubmitScriptsEntryClassAndArguments() throws Exception {
        List<JsonNode> jobs = ofKind("FlinkDeployment");
        Map<String, DeployedPrograms.SubmittedJob> submitted = new LinkedHashMap<>();
        DeployedPrograms.submittedJobs(root).forEach(job -> submitted.put(job.entryClass(), job));
        assertThat(jobs).extracting(job -> job.path("spec").path("job").path("entryClass").asText())
                .containsExactlyInAnyOrderElementsOf(submitted.keySet());
        String flinkDockerfile = Files.readString(compose.builtImages().get("livestream/flink:latest"));
        for (JsonNode deployment : jobs) {
            JsonNode job = deployment.path("spec").path("job");
            String entryClass = job.path("entryClass").asText();
            DeployedPrograms.SubmittedJob script = submitted.get(entryClass);
            DeployedPrograms.assertHasStaticMain(entryClass);
            assertThat(name(deployment)).as("named as the job names itself").isEqualTo(Class.forName(entryClass).getField("JOB_NAME").get(null));
            assertThat(deployment.path("spec").path("image").asText()).isEqualTo("livestream/flink:latest");
            assertThat(job.path("jarURI").asText()).isEqualTo("local://" + JOB_JAR);
            assertThat(flinkDockerfile).as("the Flink image carries the jar").contains(JOB_JAR);

            List<String> args = texts(job.path("args"));
            assertThat(DeployedPrograms.unreadJobArguments(entryClass, args)).as(name(deployment) + " arguments it never reads").isEmpty();
            DeployedPrograms.assertGivenEverySiteArgumentItReads(entryClass, args);
            Map<String, String> flags = DeployedPrograms.flagValues(args);
            assertThat(flags.keySet()).as(name(deployment) + " flags as submit-jobs.sh passes them").isEqualTo(script.flags().keySet());
            script.flags().forEach((flag, value) -> {
                if (!DeployedPrograms.SITE_ARGUMENTS.contains(flag)) assertThat(flags.get(flag)).as(name(deployment) + " --" + flag).isEqualTo(value);
            });
            assertThat(flags.get("bootstrap")).isEqualTo(kafkaBootstrap());
            if (flags.containsKey("redis")) assertThat(flags.get("redis")).isEqualTo(redisUri());
            assertThat(job.path("upgradeMode").asText()).as("a restart keeps the state").isIn("last-state", "savepoint");
            assertThat(job.path("state").asText()).isEqualTo("running");
        }
    }

    @Test
    void theJobsRunOnTheFlinkVersionOfTheImageWithRocksDbRetainedCheckpointsHaAndARestartStrategy() throws IOException {
        Matcher base = FLINK_BASE_IMAGE.matcher(Files.readString(compose.builtImages().get("livestream/flink:latest")));
        assertThat(base.find()).as("deploy/flink/Dockerfile FROM flink:x.y.z").isTrue();
        Set<String> mountedClaims = new TreeSet<>();
        ofKind("PersistentVolumeClaim").forEach(c -> mountedClaims.add(name(c)));
        for (JsonNode deployment : ofKind("FlinkDeployment")) {
            JsonNode spec = deployment.path("spec");
            assertThat(spec.path("flinkVersion").asText()).as(name(deployment)).isEqualTo("v" + base.group(1) + "_" + base.group(2));
            // read with Flink's own options: a renamed or mistyped key, or a value Flink cannot parse, fails here
            Map<String, String> settings = new TreeMap<>();
            spec.path("flinkConfiguration").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            // reporter keys are per reporter name (metrics.reporter.<name>.*): the metrics test checks them
            assertThat(settings.keySet().stream().filter(k -> !k.startsWith("metrics.reporter.")).toList())
                    .as(name(deployment) + " keys Flink knows").isSubsetOf(knownFlinkKeys());
            Configuration cluster = Configuration.fromMap(settings);
            // the job's own settings win over the cluster's (StreamExecutionEnvironment); where both set one they must agree,
            // or the manifest would say what does not happen
            String entryClass = spec.path("job").path("entryClass").asText();
            Configuration job = DeployedPrograms.jobConfiguration(entryClass, texts(spec.path("job").path("args")));
            for (ConfigOption<?> option : List.of(StateBackendOptions.STATE_BACKEND, CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    CheckpointingOptions.INCREMENTAL_CHECKPOINTS, CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY, RestartStrategyOptions.RESTART_STRATEGY,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF)) {
                if (cluster.contains(option) && job.contains(option)) {
                    assertThat((Object) cluster.get(option)).as(name(deployment) + " " + option.key() + " as the job sets it").isEqualTo(job.get(option));
                }
            }
            Configuration config = cluster.clone();
            config.addAll(job);
            assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
            assertThat(config.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
            assertThat(config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isNotNull();
            assertThat(config.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                    .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            assertThat(config.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
            assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY)).isNotBlank();
            assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF)).isNotNull();

            // checkpoints, savepoints and HA metadata on the volume every JobManager and TaskManager mounts
            JsonNode pod = spec.path("podTemplate").path("spec");
            Map<String, String> claimByVolume = new HashMap<>();
            pod.path("volumes").forEach(v -> claimByVolume.put(v.path("name").asText(), v.path("persistentVolumeClaim").path("claimName").asText()));
            JsonNode main = pod.path("containers").get(0);
            assertThat(main.path("name").asText()).as("the operator's main container name").isEqualTo("flink-main-container");
            Map<String, String> mounted = new HashMap<>();
            main.path("volumeMounts").forEach(m -> mounted.put(m.path("mountPath").asText(), claimByVolume.get(m.path("name").asText())));
            for (String dir : List.of(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY), config.get(CheckpointingOptions.SAVEPOINT_DIRECTORY),
                    config.get(HighAvailabilityOptions.HA_STORAGE_PATH))) {
                assertThat(dir).as(name(deployment) + " storage").startsWith("file:///");
                String claim = mounted.entrySet().stream().filter(m -> dir.substring("file://".length()).startsWith(m.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                assertThat(claim).as(dir + " on a mounted claim").isIn(mountedClaims);
            }
        }
    }

    @Test
    void kafkaIsThreeDedicatedKraftControllersAndThreeBrokersKeepingThreeReplicasWithTwoInSync() {
        JsonNode kafka = single("Kafka");
        int controllers = 0;
        int brokers = 0;
        for (JsonNode pool : ofKind("KafkaNodePool")) {
            assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(name(kafka));
            List<String> roles = texts(pool.path("spec").path("roles"));
            // as the one-machine cluster (KafkaNodeConfig): no node is both, so a broker's loss elects no controller
            assertThat(roles).as(name(pool) + " roles").hasSize(1);
            if (roles.contains("controller")) controllers += pool.path("spec").path("replicas").asInt();
            if (roles.contains("broker")) brokers += pool.path("spec").path("replicas").asInt();
        }
        assertThat(controllers).as("KRaft controllers").isEqualTo(3);
        assertThat(brokers).as("brokers").isEqualTo(3);
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(config.path("offsets.topic.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("transaction.state.log.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("transaction.state.log.min.isr").asInt()).isEqualTo(2);
        assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();
        assertThat(config.path("replica.fetch.max.bytes").asLong()).isGreaterThanOrEqualTo(Topics.MEDIA_MAX_MESSAGE_BYTES);
        assertThat(config.path("broker.session.timeout.ms").asText()).isEqualTo(String.valueOf(KafkaNodeConfig.BROKER_SESSION_TIMEOUT_MS));
        assertThat(kafka.path("spec").path("entityOperator").has("topicOperator")).as("the topic operator runs").isTrue();
    }

    @Test
    void theKafkaTopicsAreTheTopicsOfTheCodeWithThreeReplicasAndTwoInSync() {
        List<String> topicsCommand = ComposeFile.command(compose.services.get("topics"));
        int partitions = Integer.parseInt(topicsCommand.get(topicsCommand.indexOf("--partitions") + 1));
        Map<String, Topics.TopicSpec> declared = new TreeMap<>();
        for (JsonNode topic : ofKind("KafkaTopic")) {
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(name(single("Kafka")));
            JsonNode spec = topic.path("spec");
            String topicName = spec.path("topicName").asText(name(topic));
            assertThat(spec.path("replicas").asInt()).as(topicName + " replicas").isEqualTo(3);
            Map<String, String> configs = new TreeMap<>();
            spec.path("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
            assertThat(configs.remove("min.insync.replicas")).as(topicName + " min.insync.replicas").isEqualTo("2");
            declared.put(topicName, new Topics.TopicSpec(topicName, spec.path("partitions").asInt(), configs));
        }
        Map<String, Topics.TopicSpec> expected = new TreeMap<>();
        Topics.all(partitions).forEach(t -> expected.put(t.name(), new Topics.TopicSpec(t.name(), t.partitions(), new TreeMap<>(t.configs()))));
        assertThat(declared).as("as Topics.all(%d), the compose file's partitions", partitions).isEqualTo(expected);
    }

    @Test
    void redisKeepsAnAppendOnlyLogOnAPersistentVolume() {
        JsonNode redis = workloads().stream().filter(w -> name(w).equals("redis")).findFirst()
                .orElseThrow(() -> new AssertionError("a redis workload"));
        assertThat(kind(redis)).isEqualTo("StatefulSet");
        JsonNode container = containers(redis).get(0);
        List<String> command = texts(container.path("command"));
        assertThat(command.get(command.indexOf("--appendonly") + 1)).isEqualTo("yes");
        Set<String> claims = new TreeSet<>();
        redis.path("spec").path("volumeClaimTemplates").forEach(c -> claims.add(name(c)));
        assertThat(container.path("volumeMounts").findValuesAsText("name")).as("mounted claim templates").containsAnyElementsOf(claims);
        assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/data");
    }

    @Test
    void prometheusScrapesEveryEdgeOriginGatewayAndFlinkPodWhereItServesMetrics() throws Exception {
        int services = 0;
        for (JsonNode workload : workloads()) {
            for (JsonNode container : containers(workload)) {
                Path dockerfile = compose.builtImages().get(container.path("image").asText());
                if (dockerfile == null) continue;
                JsonNode annotations = workload.path("spec").path("template").path("metadata").path("annotations");
                assertThat(annotations.path("prometheus.io/scrape").asText()).as(name(workload) + " asks to be scraped").isEqualTo("true");
                int port = annotations.path("prometheus.io/port").asInt();
                assertThat(declaredPorts(container).values()).as(name(workload) + " declares the scraped port").contains(port);
                assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
                String main = DeployedPrograms.entrypointMainClass(dockerfile);
                assertThat(DeployedPrograms.servesMetrics(main, texts(container.path("args")), port))
                        .as(name(workload) + ": " + main + " serves /metrics on " + port).isTrue();
                services++;
            }
        }
        assertThat(services).as("edge, origin and chat gateway").isEqualTo(3);
        for (JsonNode job : ofKind("FlinkDeployment")) {
            JsonNode annotations = job.path("spec").path("podTemplate").path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).as(name(job) + " pods scraped").isEqualTo("true");
            int port = annotations.path("prometheus.io/port").asInt();
            JsonNode flinkConfiguration = job.path("spec").path("flinkConfiguration");
            FlinkCluster.prometheusReporter(port).forEach((key, value) ->
                    assertThat(flinkConfiguration.path(key).asText()).as(name(job) + " " + key).isEqualTo(value));
        }

        JsonNode prometheus = workloads().stream().filter(w -> name(w).equals("prometheus")).findFirst().orElseThrow();
        JsonNode configMap = ofKind("ConfigMap").stream().filter(c -> name(c).equals("prometheus-config")).findFirst().orElseThrow();
        assertThat(prometheus.path("spec").path("template").path("spec").path("volumes").findValuesAsText("name")).contains("config");
        assertThat(prometheus.path("spec").path("template").path("spec").path("volumes").toString()).contains("prometheus-config");
        JsonNode config = new YAMLMapper().readTree(configMap.path("data").path("prometheus.yml").asText());
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("kubernetes_sd_configs").get(0).path("role").asText()).isEqualTo("pod");
        String relabel = job.path("relabel_configs").toString();
        assertThat(relabel).contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "__meta_kubernetes_pod_annotation_prometheus_io_port",
                "__meta_kubernetes_pod_annotation_prometheus_io_path");
        String role = ofKind("Role").stream().filter(r -> name(r).equals("prometheus-pod-discovery")).findFirst().orElseThrow().toString();
        assertThat(role).contains("pods", "list", "watch");
        assertThat(prometheus.path("spec").path("template").path("spec").path("serviceAccountName").asText()).isEqualTo("prometheus");
    }

    @Test
    void grafanaMountsTheComposeFilesProvisioningAndDashboardAndReachesPrometheus() throws Exception {
        Map<String, String> generatedFiles = new TreeMap<>();
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            for (JsonNode file : generator.path("files")) {
                String[] keyAndPath = file.asText().split("=", 2);
                Path source = folder.resolve(keyAndPath[1]).normalize();
                assertThat(source).as("configMapGenerator file").exists();
                generatedFiles.put(generator.path("name").asText(), source.toString());
            }
        }
        assertThat(generatedFiles.get("grafana-dashboards")).endsWith("deploy/grafana/dashboards/livestream.json");
        assertThat(generatedFiles.get("grafana-datasources")).endsWith("deploy/grafana/provisioning/datasources/prometheus.yml");
        JsonNode grafana = workloads().stream().filter(w -> name(w).equals("grafana")).findFirst().orElseThrow();
        String volumes = grafana.path("spec").path("template").path("spec").path("volumes").toString();
        assertThat(volumes).contains("grafana-datasources", "grafana-dashboard-providers", "grafana-dashboards");
        JsonNode mounts = containers(grafana).get(0).path("volumeMounts");
        assertThat(mounts.findValuesAsText("mountPath")).contains("/etc/grafana/provisioning/datasources", "/var/lib/grafana/dashboards");
        // the data source names http://prometheus:9090: the Service of that name and port
        JsonNode service = ofKind("Service").stream().filter(s -> name(s).equals("prometheus")).findFirst().orElseThrow();
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(9090);
    }

    /** The keys of Flink's options for what the jobs' clusters configure. */
    private static Set<String> knownFlinkKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> options : List.of(StateBackendOptions.class, CheckpointingOptions.class, HighAvailabilityOptions.class,
                RestartStrategyOptions.class, TaskManagerOptions.class, JobManagerOptions.class, CoreOptions.class)) {
            for (Field field : options.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        keys.add(((ConfigOption<?>) field.get(null)).key());
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return keys;
    }

    /** The Strimzi bootstrap Service of the Kafka resource, as every client must name it. */
    private static String kafkaBootstrap() {
        JsonNode kafka = single("Kafka");
        JsonNode plain = kafka.path("spec").path("kafka").path("listeners").get(0);
        return name(kafka) + "-kafka-bootstrap:" + plain.path("port").asInt();
    }

    private static String redisUri() {
        JsonNode service = ofKind("Service").stream().filter(s -> name(s).equals("redis")).findFirst().orElseThrow();
        return "redis://redis:" + service.path("spec").path("ports").get(0).path("port").asInt();
    }

    private static List<JsonNode> documents(YAMLMapper yaml, Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && !document.isNull() && !document.isEmpty()) documents.add(document);
            }
        }
        assertThat(documents).as(file + " resources").isNotEmpty();
        return documents;
    }

    /** RFC 7386 merge of {@code patch} into {@code target}'s {@code field}: objects merge, anything else is replaced. */
    private static JsonNode mergePatch(JsonNode target, JsonNode patch, String field) {
        ObjectNode copy = target.deepCopy();
        copy.set(field, merge(copy.path(field), patch));
        return copy;
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject() || !target.isObject()) return patch.deepCopy();
        ObjectNode merged = ((ObjectNode) target).deepCopy();
        patch.fields().forEachRemaining(e -> merged.set(e.getKey(), merge(merged.path(e.getKey()), e.getValue())));
        return merged;
    }

    private static List<JsonNode> ofKind(String kind) {
        return resources.stream().filter(r -> kind(r).equals(kind)).toList();
    }

    private static JsonNode single(String kind) {
        assertThat(ofKind(kind)).as("one " + kind).hasSize(1);
        return ofKind(kind).get(0);
    }

    private static List<JsonNode> workloads() {
        return resources.stream().filter(r -> kind(r).equals("Deployment") || kind(r).equals("StatefulSet")).toList();
    }

    private static List<JsonNode> containers(JsonNode resource) {
        List<JsonNode> containers = new ArrayList<>();
        resource.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
        return containers;
    }

    private static boolean selects(JsonNode selector, JsonNode workload) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        if (selector.isEmpty()) return false;
        var entries = selector.fields();
        while (entries.hasNext()) {
            var e = entries.next();
            if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) return false;
        }
        return true;
    }

    /** Port name to number of a container. */
    private static Map<String, Integer> declaredPorts(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(String.valueOf(p.path("containerPort").asInt())),
                p.path("containerPort").asInt()));
        return ports;
    }

    /** The container port a probe or Service target (a name or a number) means; null when the container has none such. */
    private static Integer containerPort(JsonNode container, JsonNode target) {
        Map<String, Integer> ports = declaredPorts(container);
        if (target.isInt()) return ports.containsValue(target.asInt()) ? target.asInt() : null;
        return ports.get(target.asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static String repository(String image) {
        return image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    }

    private static String kind(JsonNode resource) {
        return resource.path("kind").asText();
    }

    private static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }
}
