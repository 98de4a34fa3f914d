package io.livestream.chat.metrics;

import io.livestream.common.metrics.PrometheusText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/** The gateway's Prometheus metrics, in a registry of their own (several gateways live in one test JVM). */
public final class ChatMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("chat_http_requests_total")
            .help("HTTP answers by route and status (a WebSocket upgrade counts as route socket, 101)").labelNames("route", "status")
            .register(registry);
    private final Counter deliveries = Counter.builder().name("chat_deliveries_total")
            .help("Room frames (messages, moderation) handed to sockets").register(registry);
    private final Counter drops = Counter.builder().name("chat_dropped_connections_total")
            .help("Sockets closed because they read slower than their room talks").register(registry);

    /**
     * @param sockets open chat WebSockets now
     * @param rooms streams with at least one socket on this gateway now
     */
    public ChatMetrics(IntSupplier sockets, IntSupplier rooms) {
        GaugeWithCallback.builder().name("chat_open_sockets").help("Open chat WebSockets")
                .callback(callback -> callback.call(sockets.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("chat_rooms").help("Streams with a socket on this gateway")
                .callback(callback -> callback.call(rooms.getAsInt())).register(registry);
    }

    public void answered(String route, int status) { requests.labelValues(route, Integer.toString(status)).inc(); }

    public void delivered(int sockets) { deliveries.inc(sockets); }

    public void dropped() { drops.inc(); }

    public byte[] scrape() {
        return PrometheusText.render(registry);
    }
}
