package io.livestream.edge.session;

/**
 * Stream-key auth and the go-live / end lifecycle, as the edge needs it. The production implementation sits on the
 * stream registry; an in-memory gate serves the tests. Called on a connection's event loop: implementations
 * should answer quickly.
 */
public interface PublishGate {
    /** A client asks to publish {@code streamKey} under application {@code app}. */
    PublishDecision begin(String app, String streamKey, String remoteAddress);

    /** Called exactly once for every accepted publish, when it ends (unpublish, delete/close stream or disconnect). */
    void end(PublishDecision.Accepted accepted, String reason);
}
