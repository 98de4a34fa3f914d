package io.livestream.edge.session;

import io.livestream.common.registry.GoLive;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import java.util.Optional;

/**
 * The production gate: stream keys are checked against the Redis stream registry, and going live / ending are
 * registry transitions (which publish the live and ended events). The registry's atomic go-live refuses a second
 * publisher on a stream that is already live, on this edge or any other, and, when a live quota is set, a new session
 * that would give the stream's broadcaster more live streams than the quota (the publish is where a stream goes live,
 * so it is where that quota is enforced).
 */
public final class RegistryPublishGate implements PublishGate {
    private final StreamRegistry registry;
    private final String app;
    private final int maxLivePerBroadcaster;

    public RegistryPublishGate(StreamRegistry registry, String app) {
        this(registry, app, 0);
    }

    /** @param maxLivePerBroadcaster concurrent live streams per broadcaster, 0 for no limit */
    public RegistryPublishGate(StreamRegistry registry, String app, int maxLivePerBroadcaster) {
        this.registry = registry;
        this.app = app;
        this.maxLivePerBroadcaster = maxLivePerBroadcaster;
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
        GoLive outcome = registry.goLive(streamId, maxLivePerBroadcaster);
        if (outcome instanceof GoLive.Started started) return new PublishDecision.Accepted(streamId, started.sessionId());
        if (outcome instanceof GoLive.OverLiveQuota over) {
            return new PublishDecision.OverQuota("broadcaster " + stream.get().broadcasterId() + " has " + over.limit()
                    + " live streams, the most allowed");
        }
        if (outcome instanceof GoLive.AlreadyLive) return new PublishDecision.Refused("stream " + streamId + " is already live");
        return new PublishDecision.Refused("unknown stream " + streamId);
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
