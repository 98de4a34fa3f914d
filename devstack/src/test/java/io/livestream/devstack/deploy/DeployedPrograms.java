package io.livestream.devstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.chat.ChatGateway;
import io.livestream.chat.ChatGatewayConfig;
import io.livestream.chat.server.ChatHttpHandler;
import io.livestream.common.cli.CreateTopics;
import io.livestream.common.cli.Flags;
import io.livestream.edge.RtmpEdgeMain;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.metrics.MetricsHttpServer;
import io.livestream.edge.server.RtmpEdgeConfig;
import io.livestream.jobs.AudienceJob;
import io.livestream.jobs.ChatJob;
import io.livestream.jobs.HealthJob;
import io.livestream.jobs.TranscodeJob;
import io.livestream.origin.OriginMain;
import io.livestream.origin.http.OriginRouter;
import io.livestream.origin.http.Route;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.AbstractParameterTool;
import org.apache.flink.util.ParameterTool;

/**
 * What the deployment files (compose, deploy/k8s) may refer to, read from the code itself: main classes, the flags
 * each service main and job reads, the ports a service listens on, and the jobs deploy/flink/submit-jobs.sh submits.
 * Shared by {@link ComposeFileTest} and {@link K8sManifestsTest}, so both shapes are held to the same code.
 */
final class DeployedPrograms {
    static final Pattern MAIN_CLASS = Pattern.compile("io\\.livestream(\\.[a-z][a-z0-9]*)+\\.[A-Z][A-Za-z0-9]*");
    private static final Pattern SUBMIT = Pattern.compile("^submit\\s+(\\S+)\\s+(\\S+)(.*)$", Pattern.MULTILINE);
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z_]+)=\"?(.*?)\"?$", Pattern.MULTILINE);
    private static final Pattern DEFAULTED_VARIABLE = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)");

    /**
     * Each service main's flag reading: the ports it listens on for these flags. Each runs its own parser, which
     * rejects a flag it does not read.
     */
    private static final Map<String, Function<List<String>, Set<Integer>>> SERVICE_PORTS = Map.of(
            RtmpEdgeMain.class.getName(), args -> {
                RtmpEdgeConfig edge = RtmpEdgeMain.Settings.fromFlags(flags(args)).edge();
                // a negative metrics port turns the metrics endpoint off
                return edge.metricsPort() < 0 ? Set.of(edge.port()) : Set.of(edge.port(), edge.metricsPort());
            },
            OriginMain.class.getName(), args -> Set.of(OriginMain.configFrom(flags(args)).http().port()),
            ChatGateway.class.getName(), args -> Set.of(ChatGateway.configFrom(flags(args)).port()),
            CreateTopics.class.getName(), args -> {
                CreateTopics.Settings.fromFlags(flags(args));
                return Set.of();
            });

    /** Starting the JDK's HTTP server and stopping it takes a while: each path is asked once. */
    private static final Map<String, Boolean> EDGE_METRICS_ANSWERS = new ConcurrentHashMap<>();

    /** Where a service main answers health checks: the port for its flags, and whether a path there answers. */
    private record HealthEndpoint(Function<List<String>, Integer> port, Predicate<String> answers) {}

    private static final Map<String, HealthEndpoint> HEALTH_ENDPOINTS = Map.of(
            RtmpEdgeMain.class.getName(), new HealthEndpoint(
                    args -> RtmpEdgeMain.Settings.fromFlags(flags(args)).edge().metricsPort(),
                    path -> EDGE_METRICS_ANSWERS.computeIfAbsent(path, DeployedPrograms::edgeMetricsAnswer)),
            OriginMain.class.getName(), new HealthEndpoint(
                    args -> OriginMain.configFrom(flags(args)).http().port(), path -> OriginRouter.route(path) instanceof Route.Health),
            // the gateway's handler is built from its running services; its source says which path it answers
            ChatGateway.class.getName(), new HealthEndpoint(
                    args -> flags(args).port("port", ChatGatewayConfig.DEFAULT_PORT),
                    path -> source(ChatHttpHandler.class, "chat-gateway").contains("path.equals(\"" + path + "\")")));

    /** A job's reading of its arguments, as its main does it: the Kafka/Redis wiring, and the job's own configuration. */
    private record JobArguments(Consumer<ParameterTool> wiring, Function<ParameterTool, Configuration> configuration) {
        Configuration read(ParameterTool params) {
            wiring.accept(params);
            return configuration.apply(params);
        }
    }

    private static final Map<String, JobArguments> JOB_ARGUMENTS = Map.of(
            TranscodeJob.class.getName(), new JobArguments(TranscodeJob::fromArgs, TranscodeJob::jobConfiguration),
            HealthJob.class.getName(), new JobArguments(HealthJob::fromArgs, HealthJob::jobConfiguration),
            ChatJob.class.getName(), new JobArguments(ChatJob::fromParams, ChatJob::jobConfiguration),
            AudienceJob.class.getName(), new JobArguments(AudienceJob::fromParams, AudienceJob::jobConfiguration));

    /** A job as the submit script runs it: name, entry class and arguments with the script's defaults filled in. */
    record SubmittedJob(String name, String entryClass, List<String> args) {
        /** Flag name to value, in order. */
        Map<String, String> flags() {
            return flagValues(args);
        }
    }

    private DeployedPrograms() {}

    /** The repository root: the first folder above the working directory with a docker-compose.yml. */
    static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("docker-compose.yml"))) root = root.getParent();
        assertThat(root).as("docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
        return root;
    }

    static void collectMainClasses(String text, Set<String> into) {
        Matcher m = MAIN_CLASS.matcher(text);
        while (m.find()) into.add(m.group());
    }

    static void assertHasStaticMain(String className) throws Exception {
        Method main = Class.forName(className).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).as(className + ".main is static").isTrue();
    }

    /** The main class a Dockerfile's ENTRYPOINT runs; null when it runs none of ours (the Flink image). */
    static String entrypointMainClass(Path dockerfile) throws IOException {
        String entrypoint = Files.readAllLines(dockerfile).stream().filter(line -> line.startsWith("ENTRYPOINT"))
                .reduce((first, last) -> last).orElse("");
        Matcher m = MAIN_CLASS.matcher(entrypoint);
        return m.find() ? m.group() : null;
    }

    /**
     * The ports {@code mainClass} listens on when started with {@code args}; fails when an argument is not one of its
     * flags (the mains reject those at start).
     */
    static Set<Integer> listenPorts(String mainClass, List<String> args) {
        Function<List<String>, Set<Integer>> ports = SERVICE_PORTS.get(mainClass);
        assertThat(ports).as("a flag reader for " + mainClass).isNotNull();
        try {
            return ports.apply(args);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(mainClass + " refuses " + args + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code mainClass}, started with {@code args}, answers an HTTP GET of {@code path} on {@code port} (a probe). */
    static boolean answersHealthCheck(String mainClass, List<String> args, int port, String path) {
        HealthEndpoint endpoint = HEALTH_ENDPOINTS.get(mainClass);
        assertThat(endpoint).as("the health endpoint of " + mainClass).isNotNull();
        return endpoint.port().apply(args) == port && endpoint.answers().test(path);
    }

    /** Whether the service main, run with {@code args}, answers Prometheus text at {@code /metrics} on {@code port}. */
    static boolean servesMetrics(String mainClass, List<String> args, int port) {
        if (mainClass.equals(OriginMain.class.getName())) {
            return OriginMain.configFrom(flags(args)).http().port() == port && OriginRouter.route("/metrics") instanceof Route.Metrics;
        }
        return answersHealthCheck(mainClass, args, port, "/metrics");
    }

    /** The edge's metrics server, started on a free loopback port, answers {@code path} with 200. */
    private static boolean edgeMetricsAnswer(String path) {
        try (MetricsHttpServer server = new MetricsHttpServer("127.0.0.1", 0, new EdgeMetrics());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            // HTTP/1.0: the server closes after the response, so neither side waits on a kept-alive connection
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return status != null && status.matches("HTTP/1\\.\\d 200 .*");
        } catch (IOException e) {
            throw new AssertionError("edge metrics server", e);
        }
    }

    /** The arguments of {@code args} that the job's own argument reading never asks for (mistyped or gone). */
    static Set<String> unreadJobArguments(String entryClass, List<String> args) {
        ParameterTool params = ParameterTool.fromArgs(args.toArray(String[]::new));
        jobArguments(entryClass).read(params);
        return new TreeSet<>(params.getUnrequestedParameters());
    }

    /**
     * The arguments whose value is the site's (brokers, Redis, checkpoint storage), not the job's: their defaults
     * (localhost, /tmp) are wrong anywhere but a laptop, so a deployment must pass each one its job reads.
     */
    static final Set<String> SITE_ARGUMENTS = Set.of("bootstrap", "redis", "checkpoint-dir");

    static void assertGivenEverySiteArgumentItReads(String entryClass, List<String> args) {
        Set<String> needed = new TreeSet<>(jobReadsArguments(entryClass));
        needed.retainAll(SITE_ARGUMENTS);
        assertThat(flagValues(args).keySet()).as(entryClass + " is given the site arguments it reads").containsAll(needed);
    }

    /** Every argument the job reads (with its default when not given). */
    static Set<String> jobReadsArguments(String entryClass) {
        ParameterTool params = ParameterTool.fromArgs(new String[0]);
        jobArguments(entryClass).read(params);
        try {
            // ParameterTool records each argument asked for, with its default, in this protected map
            Field asked = AbstractParameterTool.class.getDeclaredField("defaultData");
            asked.setAccessible(true);
            return new TreeSet<>(((Map<?, ?>) asked.get(params)).keySet().stream().map(String::valueOf).toList());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("ParameterTool no longer records the arguments asked for", e);
        }
    }

    /** The configuration the job sets for itself from {@code args}; Flink lays it over the cluster's. */
    static Configuration jobConfiguration(String entryClass, List<String> args) {
        return jobArguments(entryClass).read(ParameterTool.fromArgs(args.toArray(String[]::new)));
    }

    private static JobArguments jobArguments(String entryClass) {
        JobArguments reader = JOB_ARGUMENTS.get(entryClass);
        assertThat(reader).as("an argument reader for job " + entryClass).isNotNull();
        return reader;
    }

    static Set<String> jobEntryClasses() {
        return JOB_ARGUMENTS.keySet();
    }

    /** The jobs deploy/flink/submit-jobs.sh submits, in order, with its variables' defaults filled in. */
    static List<SubmittedJob> submittedJobs(Path root) throws IOException {
        String script = Files.readString(root.resolve("deploy/flink/submit-jobs.sh")).replace("\\\n", " ");
        Map<String, String> variables = new HashMap<>();
        for (Matcher m = ASSIGNMENT.matcher(script); m.find(); ) variables.put(m.group(1), expand(m.group(2), variables));
        List<SubmittedJob> jobs = new ArrayList<>();
        for (Matcher m = SUBMIT.matcher(script); m.find(); ) {
            List<String> args = new ArrayList<>();
            for (String word : m.group(3).trim().split("\\s+")) {
                if (!word.isEmpty()) args.add(expand(word.replace("\"", ""), variables));
            }
            jobs.add(new SubmittedJob(m.group(1), m.group(2), args));
        }
        return jobs;
    }

    /** {@code --name value} pairs of a command line, in order. */
    static Map<String, String> flagValues(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            assertThat(arg).as("flag " + i + " of " + args).startsWith("--");
            boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            flags.put(arg.substring(2), hasValue ? args.get(++i) : "");
        }
        return flags;
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

    private static Flags flags(List<String> args) {
        return Flags.parse(args.toArray(String[]::new), Map.of());
    }

    private static String source(Class<?> type, String module) {
        Path source = repositoryRoot().resolve(module + "/src/main/java/" + type.getName().replace('.', '/') + ".java");
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + source, e);
        }
    }

    private static String expand(String word, Map<String, String> variables) {
        String defaulted = DEFAULTED_VARIABLE.matcher(word)
                .replaceAll(m -> Matcher.quoteReplacement(variables.getOrDefault(m.group(1), m.group(2))));
        return VARIABLE.matcher(defaulted).replaceAll(m -> Matcher.quoteReplacement(variables.getOrDefault(m.group(1), m.group())));
    }
}
