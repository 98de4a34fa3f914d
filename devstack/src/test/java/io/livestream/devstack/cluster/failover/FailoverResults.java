package io.livestream.devstack.cluster.failover;

import io.livestream.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One line of JSON per fault trial in target/failover-results.jsonl, and at the end of the run FAILOVER.md's table of
 * them (median and worst per fault) in target/failover-table.md.
 */
final class FailoverResults {
    static final Path FILE = Path.of("target", "failover-results.jsonl");
    static final Path TABLE = Path.of("target", "failover-table.md");
    private static final List<Map<String, Object>> RUN = new CopyOnWriteArrayList<>();

    private FailoverResults() {}

    static void record(String fault, int trial, long stallMs, long browserStallMs, long segmentsLost, long framesLost, long resumeMs,
                       Map<String, Object> extra) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("fault", fault);
        line.put("trial", trial);
        line.put("stallMs", stallMs);
        line.put("browserStallMs", browserStallMs);
        line.put("segmentsLost", segmentsLost);
        line.put("framesLost", framesLost);
        line.put("resumeMs", resumeMs);
        line.putAll(extra);
        RUN.add(line);
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, Json.toString(line) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("failover result: " + line);
    }

    /** This run's trials as a markdown table: per fault, median and worst of the stalls, losses and time to resume. */
    static String table() throws IOException {
        Map<String, List<Map<String, Object>>> byFault = new TreeMap<>();
        for (Map<String, Object> line : RUN) byFault.computeIfAbsent((String) line.get("fault"), f -> new java.util.ArrayList<>()).add(line);
        StringBuilder out = new StringBuilder("| fault | trials | stall, polling client (median / worst) | stall, hls.js (median / worst) "
                + "| segments lost (median / worst) | frames lost (median / worst) | first new segment after the kill (median / worst) "
                + "| back at the live edge after the kill (median / worst) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        byFault.forEach((fault, lines) -> out.append("| ").append(fault).append(" | ").append(lines.size())
                .append(" | ").append(stat(lines, "stallMs", " ms")).append(" | ").append(stat(lines, "browserStallMs", " ms"))
                .append(" | ").append(stat(lines, "segmentsLost", "")).append(" | ").append(stat(lines, "framesLost", ""))
                .append(" | ").append(stat(lines, "resumeMs", " ms")).append(" | ").append(stat(lines, "liveAgainMs", " ms")).append(" |\n"));
        Files.writeString(TABLE, out.toString());
        return out.toString();
    }

    private static String stat(List<Map<String, Object>> lines, String key, String unit) {
        List<Long> values = lines.stream().map(l -> ((Number) l.get(key)).longValue()).sorted().toList();
        return values.get(values.size() / 2) + unit + " / " + values.get(values.size() - 1) + unit;
    }
}
