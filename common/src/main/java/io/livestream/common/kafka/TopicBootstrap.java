package io.livestream.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the platform's topics with their explicit configs when they are missing. Idempotent: topics
 * that exist are left as they are (their configs are not altered), so it is safe to run on every start.
 */
public final class TopicBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);
    private static final long POLL_MILLIS = 100;

    private TopicBootstrap() {}

    /** Connects to {@code bootstrapServers} and ensures {@link Topics#all(int)} exist; returns the names it created. */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, Duration timeout) {
        return ensureTopics(bootstrapServers, partitions, Optional.empty(), timeout);
    }

    /**
     * As {@link #ensureTopics(String, int, Duration)}, creating the topics with {@code replicationFactor} replicas (empty:
     * the brokers' {@code default.replication.factor}).
     */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, Optional<Short> replicationFactor,
                                            Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int timeoutMillis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        // the admin client refuses an api timeout below its request timeout (30 s by default)
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMillis, 30_000));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        try (Admin admin = Admin.create(props)) {
            return ensureTopics(admin, Topics.all(partitions), replicationFactor, timeout);
        }
    }

    /**
     * Creates the missing topics of {@code specs} and waits until every one of them has a leader for each
     * partition. An empty replication factor takes the broker's {@code default.replication.factor}.
     */
    public static List<String> ensureTopics(Admin admin, List<Topics.TopicSpec> specs,
                                            Optional<Short> replicationFactor, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Set<String> existing = admin.listTopics().names().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = newTopics(specs, existing, replicationFactor);
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                CreateTopicsResult result = admin.createTopics(missing);
                Map<String, KafkaFuture<Void>> futures = result.values();
                for (NewTopic topic : missing) {
                    try {
                        futures.get(topic.name()).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                        created.add(topic.name());
                    } catch (ExecutionException e) {
                        // another process created it between our list and create: that is the outcome we want
                        if (!(e.getCause() instanceof TopicExistsException)) throw e;
                    }
                }
            }
            awaitLeaders(admin, specs.stream().map(Topics.TopicSpec::name).collect(Collectors.toSet()), deadline);
            if (!created.isEmpty()) LOG.info("created topics {}", created);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics: " + e.getMessage(), e);
        }
    }

    /** The topics of {@code specs} not in {@code existing}, as the admin client creates them. */
    static List<NewTopic> newTopics(List<Topics.TopicSpec> specs, Set<String> existing, Optional<Short> replicationFactor) {
        return specs.stream()
                .filter(spec -> !existing.contains(spec.name()))
                .map(spec -> new NewTopic(spec.name(), Optional.of(spec.partitions()), replicationFactor).configs(spec.configs()))
                .toList();
    }

    private static void awaitLeaders(Admin admin, Set<String> names, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                boolean allLed = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (allLed) return;
            } catch (ExecutionException e) {
                // metadata propagates to the broker a little after creation
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
            }
            if (remainingMillis(deadline) <= POLL_MILLIS) throw new TimeoutException("topics have no leaders yet: " + names);
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static long remainingMillis(long deadlineNanos) throws TimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) throw new TimeoutException("timed out");
        return left;
    }
}
