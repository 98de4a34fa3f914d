package io.livestream.devstack.cluster;

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
}
