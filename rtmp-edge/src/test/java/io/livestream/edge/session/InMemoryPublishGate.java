package io.livestream.edge.session;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gate over a fixed key -> stream id map that records every begin and end: for tests and local runs. */
public final class InMemoryPublishGate implements PublishGate {
    public record Ended(PublishDecision.Accepted accepted, String reason) {}

    private final String app;
    private final Map<String, String> streamIdByKey;
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final List<PublishDecision> decisions = new CopyOnWriteArrayList<>();
    private final List<Ended> ended = new CopyOnWriteArrayList<>();

    /** @param streamIdByKey stream key -> stream id; publishing is allowed only under {@code app} */
    public InMemoryPublishGate(String app, Map<String, String> streamIdByKey) {
        this.app = app;
        this.streamIdByKey = Map.copyOf(streamIdByKey);
    }

    @Override
    public PublishDecision begin(String app, String streamKey, String remoteAddress) {
        String streamId = streamKey == null ? null : streamIdByKey.get(streamKey);
        PublishDecision decision;
        if (!this.app.equals(app) || streamId == null) {
            decision = new PublishDecision.Refused("unknown stream key");
        } else if (!live.add(streamId)) {
            decision = new PublishDecision.Refused("stream already live");
        } else {
            decision = new PublishDecision.Accepted(streamId, UUID.randomUUID().toString());
        }
        decisions.add(decision);
        return decision;
    }

    @Override
    public void end(PublishDecision.Accepted accepted, String reason) {
        live.remove(accepted.streamId());
        ended.add(new Ended(accepted, reason));
    }

    public List<PublishDecision> decisions() {
        return List.copyOf(decisions);
    }

    public List<Ended> ended() {
        return List.copyOf(ended);
    }
}
