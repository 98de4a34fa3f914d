package io.livestream.origin.metrics;

import io.livestream.netguard.HttpAnswerCounter;
import io.livestream.origin.http.OriginRouter;
import io.netty.channel.ChannelHandler;

/** The origin's answers counted by route kind and status, with their bytes and the open connections. */
public final class HttpMetricsHandler {
    /** One per connection, beside the origin's handler. */
    public static ChannelHandler create(OriginMetrics metrics) {
        return new HttpAnswerCounter(HttpMetricsHandler::routeOf, new HttpAnswerCounter.Answers() {
            @Override public void answered(String route, int status, long bodyBytes) { metrics.answered(route, status, bodyBytes); }

            @Override public void connectionOpened() { metrics.connectionOpened(); }

            @Override public void connectionClosed() { metrics.connectionClosed(); }
        });
    }

    /** The route kind of a request target: the Route record's name ("Segment", "Streams", "NotFound", ...). */
    static String routeOf(String uri) {
        return OriginRouter.route(uri).getClass().getSimpleName();
    }

    private HttpMetricsHandler() {}
}
