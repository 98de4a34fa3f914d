package io.livestream.devstack.cluster;

import io.livestream.devstack.infra.KafkaServerSizing;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * server.properties of the cluster's Kafka nodes: three dedicated KRaft controllers (one static quorum) and three
 * brokers, as Strimzi's separate controller and broker node pools. Replication factor 3 and min.insync.replicas 2, so
 * with acks=all an acknowledged record is on two brokers and any one broker may die.
 *
 * <p>Why the controllers are not on the brokers: a killed combined node that was the active controller costs the
 * quorum's leader detection and election before the new controller even starts the dead broker's session timeout —
 * 4-6 s of producers waiting for acks in the failover runs, against issue 10's 2 s. With dedicated controllers a
 * broker's death costs its session timeout alone (1.5 s), and a controller's death moves no partition leader.
 */
public final class KafkaNodeConfig {
    /** Fixed, so a restarted node rejoins the cluster its log directory was formatted for. */
    public static final String CLUSTER_ID = "71LI63BsR2G4QSDGZVyxyg";
    /** Controller node ids: apart from the brokers' 1..3, which the failover suite and the logs name. */
    static final int CONTROLLER_ID_BASE = 100;
    /**
     * A broker that missed heartbeats this long is fenced and its partitions' leaders move (Kafka's default, 9 s,
     * would stall every acks=all producer that long). Heartbeats every 250 ms leave five chances to a busy broker.
     */
    public static final int BROKER_SESSION_TIMEOUT_MS = 1500;
    static final int BROKER_HEARTBEAT_INTERVAL_MS = 250;

    private final Map<String, String> entries;

    private KafkaNodeConfig(Map<String, String> entries) {
        this.entries = entries;
    }

    /** Broker {@code index} (1..3): data only, no controller in it. */
    public static KafkaNodeConfig broker(int index, Path logDir) {
        String host = ClusterLayout.HOST;
        Map<String, String> p = common(logDir);
        p.put("process.roles", "broker");
        p.put("node.id", String.valueOf(index));
        p.put("listeners", "PLAINTEXT://" + host + ":" + ClusterLayout.KAFKA_PORTS.get(index - 1));
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + ClusterLayout.KAFKA_PORTS.get(index - 1));
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a follower that stopped fetching (a hung broker; a dead one is removed from the ISR when it is fenced)
        p.put("replica.lag.time.max.ms", "5000");
        KafkaServerSizing.applyTo(p::put);
        return new KafkaNodeConfig(p);
    }

    /** Controller {@code index} (1..3) of the quorum: metadata only. */
    public static KafkaNodeConfig controller(int index, Path logDir) {
        Map<String, String> p = common(logDir);
        p.put("process.roles", "controller");
        p.put("node.id", String.valueOf(CONTROLLER_ID_BASE + index));
        p.put("listeners", "CONTROLLER://" + ClusterLayout.HOST + ":" + ClusterLayout.KAFKA_CONTROLLER_PORTS.get(index - 1));
        p.put("num.io.threads", "2");
        p.put("num.network.threads", "1");
        p.put("background.threads", "1");
        return new KafkaNodeConfig(p);
    }

    /**
     * What brokers and controllers must agree on: the quorum, the controller listener, the fencing timing, and the
     * topic defaults. In KRaft the controller creates topics, with its own {@code default.replication.factor}: on
     * dedicated controllers without it every topic created without an explicit factor had one replica, and a broker's
     * death took its partitions away until it was back (25 s in the failover suite).
     */
    private static Map<String, String> common(Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("unclean.leader.election.enable", "false");
        p.put("controller.quorum.voters", IntStream.rangeClosed(1, ClusterLayout.BROKERS)
                .mapToObj(i -> (CONTROLLER_ID_BASE + i) + "@" + ClusterLayout.HOST + ":" + ClusterLayout.KAFKA_CONTROLLER_PORTS.get(i - 1))
                .collect(Collectors.joining(",")));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("broker.heartbeat.interval.ms", String.valueOf(BROKER_HEARTBEAT_INTERVAL_MS));
        p.put("broker.session.timeout.ms", String.valueOf(BROKER_SESSION_TIMEOUT_MS));
        return p;
    }

    public Map<String, String> entries() {
        return entries;
    }

    public String serverProperties() {
        return entries.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# generated by ./livestream cluster up on every start\n", "\n"));
    }
}
