package io.livestream.origin.api;

import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code GET /ready}: 200 when every dependency answers, else 503 naming the one that is down. Blocking (it pings them). */
public final class ReadinessHandler {
    /** A dependency the probe checks: it throws or returns false when it is down. */
    public record Check(String name, Callable<Boolean> probe) {}

    private final List<Check> checks;

    public ReadinessHandler(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public Resource ready(Route.Ready route, OriginRequest request) {
        Map<String, String> results = new LinkedHashMap<>();
        boolean up = true;
        for (Check check : checks) {
            String result;
            try {
                result = Boolean.TRUE.equals(check.probe().call()) ? "up" : "down";
            } catch (Exception e) {
                result = "down: " + e.getMessage();
            }
            if (!result.equals("up")) up = false;
            results.put(check.name(), result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", results);
        return Resource.json(up ? 200 : 503, body);
    }
}
