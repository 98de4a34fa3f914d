package io.livestream.edge.session;

import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import java.util.Optional;

/**
 * The production gate: stream keys are checked against the Redis stream registry, and going live / ending are
 * registry transitions (which publish the live and ended events). The registry's atomic go-live refuses a second
 * publisher on a stream that is already live, on this edge or any other.
 */
public final class RegistryPublishGate implements PublishGate {
    private final StreamRegistry registry;
    private final String app;

    public RegistryPublishGate(StreamRegistry registry, String app) {
        this.registry = registry;
        this.app = app;
    }

    @Override
    public PublishDecision begin(String app, String streamKey, String remoteAddress) {
        if (!this.app.equals(app)) {
            return new PublishDecision.Refused("unknown application '" + app + "'");
        }
        Optional<StreamInfo> stream = streamKey == null ? Optional.empty() : registry.findByKey(streamKey);
        if (stream.isEmpty()) {
            return new PublishDecision.Refused("unknown stream key");
        }
        String streamId = stream.get().id();
        return registry.goLive(streamId)
                .<PublishDecision>map(sessionId -> new PublishDecision.Accepted(streamId, sessionId))
                .orElseGet(() -> new PublishDecision.Refused("stream " + streamId + " is already live"));
    }

    /**
     * A dropped connection only puts the session in its reconnect grace (the registry ends it if the publisher does
     * not return in time); an unpublish, a media timeout or the API ends it at once.
     */
    @Override
    public void end(PublishDecision.Accepted accepted, String reason) {
        if ("disconnected".equals(reason)) {
            registry.disconnect(accepted.streamId(), accepted.sessionId());
        } else {
            registry.end(accepted.streamId(), accepted.sessionId(), registryReason(reason));
        }
    }

    /** The registry's end reasons: unpublish, disconnect, api, timeout (the edge's own words are RTMP command names). */
    static String registryReason(String edgeReason) {
        return switch (edgeReason) {
            case "FCUnpublish", "deleteStream", "closeStream" -> "unpublish";
            case "api", "timeout" -> edgeReason;
            default -> "disconnect";
        };
    }
}
