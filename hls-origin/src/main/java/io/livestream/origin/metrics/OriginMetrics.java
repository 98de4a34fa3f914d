package io.livestream.origin.metrics;

import io.livestream.common.metrics.PrometheusText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The origin's Prometheus metrics, in a registry of their own (several origins live in one test JVM). Requests are
 * labelled by route kind (the {@link io.livestream.origin.http.Route} record's name: a bounded set, never a stream id)
 * and status.
 */
public final class OriginMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("origin_http_requests_total")
            .help("HTTP answers by route kind and status").labelNames("route", "status").register(registry);
    private final Counter bytes = Counter.builder().name("origin_http_response_bytes_total")
            .help("Response body bytes by route kind").labelNames("route").register(registry);
    private final Gauge connections = Gauge.builder().name("origin_open_connections").help("Open HTTP connections").register(registry);
    private final Counter connectionsTotal = Counter.builder().name("origin_connections_total").help("HTTP connections accepted").register(registry);

    /** @param heldRequests LL-HLS requests waiting for their part now */
    public OriginMetrics(IntSupplier heldRequests) {
        this(heldRequests, () -> 0);
    }

    /**
     * @param heldRequests LL-HLS requests waiting for their part now
     * @param growingSegmentAnswers DASH segments answered while they were written, since start
     */
    public OriginMetrics(IntSupplier heldRequests, LongSupplier growingSegmentAnswers) {
        GaugeWithCallback.builder().name("origin_llhls_held_requests").help("LL-HLS blocking playlist requests waiting for their part")
                .callback(callback -> callback.call(heldRequests.getAsInt())).register(registry);
        CounterWithCallback.builder().name("origin_dash_growing_segments_total")
                .help("LL-DASH segments answered with chunked transfer while they were being written")
                .callback(callback -> callback.call(growingSegmentAnswers.getAsLong())).register(registry);
    }

    public void answered(String route, int status, long bodyBytes) {
        requests.labelValues(route, Integer.toString(status)).inc();
        if (bodyBytes > 0) bytes.labelValues(route).inc(bodyBytes);
    }

    public void connectionOpened() { connectionsTotal.inc(); connections.inc(); }

    public void connectionClosed() { connections.dec(); }

    /** The Prometheus text exposition of every metric. */
    public byte[] scrape() {
        return PrometheusText.render(registry);
    }
}
