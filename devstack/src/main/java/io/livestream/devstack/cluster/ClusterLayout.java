package io.livestream.devstack.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * Where everything of the one-machine cluster lives: the data directory and every port. The public ports are the
 * platform's defaults (design.md "Ports"); the services behind nginx listen on internal ports beside them.
 */
public record ClusterLayout(Path dataDir) {
    public static final String HOST = "127.0.0.1";
    public static final int RTMP_PORT = 1935;
    public static final int HTTP_PORT = 8080;
    public static final int CHAT_PORT = 8090;
    public static final int DASHBOARD_PORT = 8081;
    public static final List<Integer> KAFKA_PORTS = List.of(9092, 9093, 9094);
    public static final List<Integer> KAFKA_CONTROLLER_PORTS = List.of(19092, 19093, 19094);
    public static final int REDIS_PORT = 6379;
    /** ZooKeeper for the JobManager's high availability (leader address, job graphs, checkpoint pointers). */
    public static final int ZOOKEEPER_PORT = 2181;
    public static final int JOBMANAGER_RPC_PORT = 6123;
    public static final int BLOB_PORT = 6124;
    public static final List<Integer> TASKMANAGER_RPC_PORTS = List.of(6131, 6132);
    public static final List<Integer> TASKMANAGER_DATA_PORTS = List.of(6141, 6142);
    public static final List<Integer> EDGE_PORTS = List.of(11935, 11936);
    public static final List<Integer> EDGE_METRICS_PORTS = List.of(19935, 19936);
    public static final List<Integer> ORIGIN_PORTS = List.of(18080, 18082);
    public static final List<Integer> CHAT_GATEWAY_PORTS = List.of(18090, 18091);
    /** The Flink Prometheus reporter of the JobManager, then of each TaskManager. */
    public static final int JOBMANAGER_METRICS_PORT = 9249;
    public static final List<Integer> TASKMANAGER_METRICS_PORTS = List.of(9250, 9251);
    /** Two of each service, two TaskManagers, three brokers (and three KRaft controllers). */
    public static final int REPLICAS = 2;
    public static final int BROKERS = KAFKA_PORTS.size();

    public static ClusterLayout under(Path root) {
        return new ClusterLayout(root.resolve("data").resolve("cluster").toAbsolutePath().normalize());
    }

    /** The ports users and tests talk to; {@code cluster down} must leave every one of them free. */
    public static List<Integer> wellKnownPorts() {
        return List.of(RTMP_PORT, HTTP_PORT, DASHBOARD_PORT, CHAT_PORT, KAFKA_PORTS.get(0), KAFKA_PORTS.get(1),
                KAFKA_PORTS.get(2), REDIS_PORT);
    }

    public static String bootstrapServers() {
        return String.join(",", KAFKA_PORTS.stream().map(port -> HOST + ":" + port).toList());
    }

    public static String redisUri() {
        return "redis://" + HOST + ":" + REDIS_PORT;
    }

    public Path logs() {
        return dataDir.resolve("logs");
    }

    /** RocksDB's own info logs, one per state instance and restore: out of the processes' logs beside them. */
    public Path rocksDbLogs() {
        return logs().resolve("rocksdb");
    }

    public Path logFile(String role, int index) {
        return logs().resolve(role + "-" + index + ".log");
    }

    public Path conf() {
        return dataDir.resolve("conf");
    }

    public Path checkpoints() {
        return dataDir.resolve("checkpoints");
    }

    public Path kafkaDir(int index) {
        return dataDir.resolve("kafka-" + index);
    }

    public Path kafkaControllerDir(int index) {
        return dataDir.resolve("kafka-controller-" + index);
    }

    public Path zookeeperDir() {
        return dataDir.resolve("zookeeper");
    }

    /** Flink's HA storage: the job graphs and checkpoint metadata that ZooKeeper points to. */
    public Path flinkHaDir() {
        return dataDir.resolve("flink-ha");
    }

    public Path redisDir() {
        return dataDir.resolve("redis");
    }

    public Path nginxDir() {
        return dataDir.resolve("nginx");
    }

    public Path flinkDir() {
        return dataDir.resolve("flink");
    }

    public Path recordings() {
        return dataDir.resolve("recordings");
    }

    public Path stateFile() {
        return dataDir.resolve("cluster-state.json");
    }

    public Path supervisorLog() {
        return logs().resolve("supervisor.log");
    }
}
