package io.livestream.devstack.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a broker the supervisor saw die out of the partitions' in-sync replicas at once, instead of after the
 * controller's broker session timeout ({@link KafkaNodeConfig#BROKER_SESSION_TIMEOUT_MS}). Until then, acks=all
 * produce requests wait for the dead follower and the partitions it led have no leader: that wait was the first
 * 1.5-2.2 s of every broker failover (FAILOVER.md). Kafka's UnregisterBroker (what decommissioning a broker uses)
 * makes the controller drop the broker from every ISR and elect new leaders in one metadata change; the broker's
 * replacement registers again under the same id when it starts and rejoins the ISRs once it has caught up, as after
 * a fencing. Only for a death the supervisor is sure of (the process exited), never on a missed heartbeat.
 */
final class DeadBrokerFencing {
    private static final Logger LOG = LoggerFactory.getLogger(DeadBrokerFencing.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private DeadBrokerFencing() {}

    /** Unregisters broker {@code brokerId} through the others; logs the outcome, never throws. */
    static void unregister(String bootstrapServers, int brokerId) {
        long started = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            admin.unregisterBroker(brokerId).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("kafka broker {} unregistered after its death ({} ms): its partitions have new leaders and ISRs",
                    brokerId, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("kafka broker {} could not be unregistered ({}); the controller fences it after {} ms", brokerId,
                    e.getCause() != null ? e.getCause() : e, KafkaNodeConfig.BROKER_SESSION_TIMEOUT_MS);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
    }
}
