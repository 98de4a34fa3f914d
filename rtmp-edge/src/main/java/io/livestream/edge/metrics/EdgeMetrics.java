package io.livestream.edge.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.livestream.common.metrics.PrometheusText;
import java.nio.charset.StandardCharsets;

/**
 * The edge's Prometheus metrics, in a registry of their own (so several edges can live in one test JVM). Without
 * exemplars: nothing here traces requests, and the exemplar sampler ran on every produced record.
 */
public final class EdgeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge publishers = Gauge.builder().name("rtmp_edge_publishers").help("Streams publishing now").withoutExemplars().register(registry);
    private final Gauge connections = Gauge.builder().name("rtmp_edge_open_connections").help("Open RTMP connections").withoutExemplars().register(registry);
    private final Counter connectionsTotal = Counter.builder().name("rtmp_edge_connections_total").help("RTMP connections accepted").withoutExemplars().register(registry);
    private final Counter connectionsRejected = Counter.builder().name("rtmp_edge_connections_rejected_total")
            .help("Connections closed by the per-IP or total limit").withoutExemplars().register(registry);
    private final Counter protocolErrors = Counter.builder().name("rtmp_edge_protocol_errors_total")
            .help("Connections closed for malformed input").withoutExemplars().register(registry);
    private final Counter bytesIn = Counter.builder().name("rtmp_edge_bytes_in_total").help("Bytes received from clients").withoutExemplars().register(registry);
    private final Counter recordsProduced = Counter.builder().name("rtmp_edge_records_produced_total")
            .help("Ingest records stored by the sink").withoutExemplars().register(registry);
    private final Counter recordsFailed = Counter.builder().name("rtmp_edge_records_failed_total")
            .help("Ingest records the sink could not store").withoutExemplars().register(registry);
    private final Counter recordsDropped = Counter.builder().name("rtmp_edge_records_dropped_total")
            .help("Ingest records dropped because the sink was too slow").withoutExemplars().register(registry);
    private final Counter refusedPublishes = Counter.builder().name("rtmp_edge_publishes_refused_total")
            .help("Publish attempts refused (bad key, already live)").withoutExemplars().register(registry);

    public void connectionOpened() { connectionsTotal.inc(); connections.inc(); }
    public void connectionClosed() { connections.dec(); }
    public void connectionRejected() { connectionsRejected.inc(); }
    public void protocolError() { protocolErrors.inc(); }
    public void bytesIn(long n) { bytesIn.inc(n); }
    public void publishStarted() { publishers.inc(); }
    public void publishEnded() { publishers.dec(); }
    public void publishRefused() { refusedPublishes.inc(); }
    public void recordProduced() { recordsProduced.inc(); }
    public void recordFailed() { recordsFailed.inc(); }
    public void recordDropped() { recordsDropped.inc(); }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return new String(PrometheusText.render(registry), StandardCharsets.UTF_8);
    }
}
