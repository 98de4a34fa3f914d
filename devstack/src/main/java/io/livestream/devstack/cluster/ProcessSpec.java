package io.livestream.devstack.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One OS process of the cluster as the supervisor runs it: what it is ({@code role}, {@code index} from 1), the
 * command line, the ports it listens on, and how to tell it is ready.
 */
public record ProcessSpec(String role, int index, List<String> command, Map<String, String> environment,
                          List<Integer> ports, ReadinessCheck readiness) {
    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        ports = List.copyOf(ports);
    }

    public String name() {
        return role + "-" + index;
    }

    /**
     * How long the supervisor waits before the first restart of this process after it died. A JVM's start takes a
     * core or two for seconds, and on a small machine that is CPU the survivors need just then: the other brokers
     * taking over a dead broker's partitions, the other TaskManager restoring the jobs. Those roles' replicas carry
     * the load meanwhile, so their replacement waits until the take-over is done; a role whose restart is the
     * recovery itself (the JobManager, Redis, ZooKeeper) or that is cheap to start comes back after a second.
     */
    public Duration firstRestartDelay() {
        return switch (role) {
            case "kafka", "kafka-controller" -> Duration.ofSeconds(5);
            // the survivor's restore and its backlog took up to 10 s on this box; a TaskManager JVM starting then slowed both
            case "taskmanager" -> Duration.ofSeconds(15);
            default -> Duration.ofSeconds(1);
        };
    }

    /**
     * Whether a replacement of this process starts at a low CPU priority until it has warmed up: the roles whose
     * peers carry the load while it is away (a broker's partitions are led by the others, the other TaskManager runs
     * the jobs, the balancer sends to the other edge, origin or gateway), so its JVM start need not compete with their
     * take-over for the cores. Not a role whose restart is the recovery itself (the JobManager, Redis, ZooKeeper, the
     * balancer).
     */
    public boolean warmsUpAtLowPriority() {
        return switch (role) {
            case "kafka", "kafka-controller", "taskmanager", "edge", "origin", "chat" -> true;
            default -> false;
        };
    }
}
