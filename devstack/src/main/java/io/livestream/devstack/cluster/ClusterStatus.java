package io.livestream.devstack.cluster;

import io.livestream.common.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code cluster status}: each process of the state file with whether it is up (its pid alive and every port accepting). */
public final class ClusterStatus {
    public record Row(String role, int index, long pid, List<Integer> ports, boolean up, int restarts) {}

    private ClusterStatus() {}

    public static List<Row> rows(ClusterState state) {
        return state.processes().stream().map(entry -> new Row(entry.role(), entry.index(), entry.pid(), entry.ports(),
                ProcessHandle.of(entry.pid()).map(ProcessHandle::isAlive).orElse(false)
                        && entry.ports().stream().allMatch(ReadinessCheck::isListening), entry.restarts())).toList();
    }

    public static String json(List<Row> rows) {
        List<Map<String, Object>> objects = rows.stream().map(row -> {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("role", row.role());
            object.put("index", row.index());
            object.put("pid", row.pid());
            object.put("ports", row.ports());
            object.put("up", row.up());
            object.put("restarts", row.restarts());
            return object;
        }).toList();
        return Json.toString(objects);
    }

    public static String table(ClusterState state, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("supervisor pid ").append(state.supervisorPid()).append(state.supervisorAlive() ? " (running)" : " (not running)")
                .append(state.ready() ? ", cluster up" : ", cluster not ready").append(state.failure() == null ? "" : ", failed: " + state.failure())
                .append('\n');
        out.append(String.format("%-12s %5s %8s %-6s %8s  %s%n", "ROLE", "INDEX", "PID", "UP", "RESTARTS", "PORTS"));
        for (Row row : rows) {
            out.append(String.format("%-12s %5d %8d %-6s %8d  %s%n", row.role(), row.index(), row.pid(), row.up() ? "up" : "DOWN",
                    row.restarts(), row.ports().stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        return out.toString();
    }
}
