package io.livestream.edge.session;

import io.livestream.common.registry.GoLive;
import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production gate: stream keys are checked against the Redis stream registry, and going live / ending are
 * registry transitions (which publish the live and ended events). The registry's atomic go-live refuses a second
 * publisher on a stream that is already live, on this edge or any other, and, when a live quota is set, a new session
 * that would give the stream's broadcaster more live streams than the quota (the publish is where a stream goes live,
 * so it is where that quota is enforced).
 *
 * <p>While a publish lasts, the gate renews its hold in the registry every second ({@link #startRenewingHolds}): an
 * edge that dies without a word stops renewing, and within {@link StreamRegistry#PUBLISHER_HOLD_MS} its publishers
 * count as dropped, so one that reconnects through another edge continues its session instead of being refused.
 */
public final class RegistryPublishGate implements PublishGate {
    static final long RENEW_EVERY_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryPublishGate.class);
    private final StreamRegistry registry;
    private final String app;
    private final int maxLivePerBroadcaster;
    /** The sessions this edge publishes, by stream id: the holds it renews. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private volatile boolean renewFailing;

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
        if (outcome instanceof GoLive.Started started) {
            held.put(streamId, started.sessionId());
            return new PublishDecision.Accepted(streamId, started.sessionId());
        }
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
        held.remove(accepted.streamId(), accepted.sessionId());
        if ("disconnected".equals(reason)) {
            registry.disconnect(accepted.streamId(), accepted.sessionId());
        } else {
            registry.end(accepted.streamId(), accepted.sessionId(), registryReason(reason));
        }
    }

    /** Renews the hold of every publish this edge holds (one Redis round trip); a failure is logged once per outage. */
    public void renewHolds() {
        try {
            registry.renewHolds(Map.copyOf(held));
            if (renewFailing) LOG.info("renewing publisher holds again ({} held)", held.size());
            renewFailing = false;
        } catch (RuntimeException e) {
            if (!renewFailing) LOG.warn("cannot renew publisher holds ({} held): {}", held.size(), e.toString());
            renewFailing = true;
        }
    }

    /** Renews the holds every {@link #RENEW_EVERY_MS} on a thread of its own until closed. */
    public AutoCloseable startRenewingHolds() {
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "publisher-holds");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleWithFixedDelay(this::renewHolds, RENEW_EVERY_MS, RENEW_EVERY_MS, TimeUnit.MILLISECONDS);
        return renewer::shutdownNow;
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
