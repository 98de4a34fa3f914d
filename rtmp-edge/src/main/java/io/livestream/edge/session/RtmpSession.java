package io.livestream.edge.session;

import io.livestream.edge.amf0.Amf0;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessage.Command;
import io.livestream.edge.message.RtmpMessage.Data;
import io.livestream.edge.message.RtmpMessage.UserControl;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher side of the RTMP command exchange, over plain message objects (no socket): connect, releaseStream,
 * FCPublish, createStream, publish (through the {@link PublishGate}), the media that follows, and the end of the
 * publish (FCUnpublish, deleteStream, closeStream or disconnect, whichever comes first). Single-threaded; the gate's
 * calls run through {@link GateCalls}, and what the client sends while its publish is being decided is held and
 * handled, in order, once the answer is in.
 */
public final class RtmpSession {
    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);

    /** What ffmpeg, OBS and librtmp expect after connect; the window/bandwidth values are nginx-rtmp's. */
    static final long WINDOW_ACK_SIZE = 5_000_000;
    static final long PEER_BANDWIDTH = 5_000_000;
    static final int LIMIT_DYNAMIC = 2;
    private static final int PUBLISH_STREAM_ID = 1;
    /**
     * Messages held while a publish is being decided. ffmpeg, OBS and librtmp wait for NetStream.Publish.Start before
     * they send media, so a few commands at most; a client that floods meanwhile is closed.
     */
    static final int MAX_HELD_WHILE_DECIDING = 1024;

    enum State { AWAITING_CONNECT, CONNECTED, DECIDING_PUBLISH, PUBLISHING, CLOSED }

    private final PublishGate gate;
    private final String remoteAddress;
    private final int outboundChunkSize;
    private final SessionOutput out;
    private final PublishListener listener;
    private final GateCalls gateCalls;
    private final ArrayDeque<RtmpMessage> heldWhileDeciding = new ArrayDeque<>();
    private State state = State.AWAITING_CONNECT;
    private String app;
    private PublishDecision.Accepted publishing;

    public RtmpSession(PublishGate gate, String remoteAddress, int outboundChunkSize, SessionOutput out, PublishListener listener) {
        this(gate, remoteAddress, outboundChunkSize, out, listener, GateCalls.IN_PLACE);
    }

    public RtmpSession(PublishGate gate, String remoteAddress, int outboundChunkSize, SessionOutput out, PublishListener listener,
                       GateCalls gateCalls) {
        this.gateCalls = gateCalls;
        this.gate = gate;
        this.remoteAddress = remoteAddress;
        this.outboundChunkSize = outboundChunkSize;
        this.out = out;
        this.listener = listener;
    }

    public void onMessage(RtmpMessage message) {
        if (state == State.CLOSED) return;
        if (state == State.DECIDING_PUBLISH) {
            if (heldWhileDeciding.size() >= MAX_HELD_WHILE_DECIDING) {
                log.info("{} sent {} messages before its publish was answered: closing", remoteAddress, heldWhileDeciding.size());
                closeNow();
                return;
            }
            heldWhileDeciding.add(message);
            return;
        }
        if (message instanceof Command c) {
            onCommand(c);
        } else if (message instanceof Data d) {
            onData(d);
        } else if (message instanceof RtmpMessage.Audio || message instanceof RtmpMessage.Video) {
            if (state == State.PUBLISHING) listener.media(message);
        } else if (message instanceof UserControl u && u.event() == UserControl.PING_REQUEST) {
            out.send(UserControl.pingResponse(u.value()));
        }
        // chunk size, abort, window/ack messages belong to the chunk layer; others are of no use to a publish edge
    }

    /** The connection is gone: an accepted publish ends now if nothing ended it before. */
    public void onDisconnect() {
        onDisconnect("disconnected");
    }

    /** As {@link #onDisconnect()}, for a connection the edge closed itself ({@code reason}: timeout, api). */
    public void onDisconnect(String reason) {
        endPublish(reason);
        state = State.CLOSED;
        heldWhileDeciding.clear();
    }

    public boolean isPublishing() {
        return state == State.PUBLISHING;
    }

    private void onCommand(Command c) {
        switch (c.name()) {
            case "connect" -> connect(c);
            case "createStream" -> out.send(new Command(0, "_result", c.transactionId(), Arrays.asList(null, (double) PUBLISH_STREAM_ID)));
            case "FCPublish" -> out.send(new Command(0, "onFCPublish", 0, Arrays.asList(null,
                    status("status", "NetStream.Publish.Start", "FCPublish"))));
            case "publish" -> publish(c);
            case "FCUnpublish", "deleteStream", "closeStream" -> endPublish(c.name());
            default -> { } // releaseStream, getStreamLength, _checkbw...: nothing a publisher waits for
        }
    }

    private void connect(Command c) {
        if (state != State.AWAITING_CONNECT) {
            log.info("connect sent twice by {}: closing", remoteAddress);
            closeNow();
            return;
        }
        Object commandObject = c.arguments().isEmpty() ? null : c.arguments().get(0);
        Object appValue = commandObject instanceof Map<?, ?> m ? m.get("app") : null;
        app = appValue instanceof String s ? stripSlashes(s) : "";
        Object encoding = commandObject instanceof Map<?, ?> m ? m.get("objectEncoding") : null;
        state = State.CONNECTED;

        out.send(new RtmpMessage.WindowAckSize(WINDOW_ACK_SIZE));
        out.send(new RtmpMessage.SetPeerBandwidth(PEER_BANDWIDTH, LIMIT_DYNAMIC));
        out.send(new RtmpMessage.SetChunkSize(outboundChunkSize));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        Map<String, Object> info = status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", encoding instanceof Double d ? d : 0.0);
        out.send(new Command(0, "_result", c.transactionId(), Arrays.asList(properties, info)));
    }

    private void publish(Command c) {
        int streamId = c.messageStreamId();
        if (state != State.CONNECTED) {
            refuseAndClose(streamId, "NetStream.Publish.BadName", state == State.PUBLISHING ? "already publishing" : "publish before connect");
            return;
        }
        String key = withoutQuery(c.stringArgument(1)); // OBS may append ?params
        state = State.DECIDING_PUBLISH;
        gateCalls.run(() -> gate.begin(app, key, remoteAddress), (decision, unavailable) -> decided(streamId, key, decision, unavailable));
    }

    private void decided(int streamId, String key, PublishDecision decision, RuntimeException unavailable) {
        if (state == State.CLOSED) {
            // the connection went while the gate decided: an accepted publish must still end, or its hold stays
            if (decision instanceof PublishDecision.Accepted accepted) endInGate(accepted, "disconnected before the publish was answered");
            return;
        }
        state = State.CONNECTED;
        if (unavailable != null) {
            // the registry (Redis) is down: the client gets a status it understands, not a dropped connection
            log.warn("publish refused: app={} key={} from {}: stream registry unavailable: {}", app, StreamKeys.mask(key), remoteAddress, unavailable.toString());
            listener.publishRefused("registry unavailable");
            refuseAndClose(streamId, "NetStream.Publish.Failed", "stream registry unavailable, try again shortly");
            return;
        }
        if (decision instanceof PublishDecision.OverQuota over) {
            log.info("publish refused: app={} key={} from {}: {}", app, StreamKeys.mask(key), remoteAddress, over.reason());
            listener.publishRefused("over quota");
            refuseAndClose(streamId, "NetStream.Publish.Rejected", over.reason());
            return;
        }
        if (decision instanceof PublishDecision.Refused refused) {
            log.info("publish refused: app={} key={} from {}: {}", app, StreamKeys.mask(key), remoteAddress, refused.reason());
            listener.publishRefused(refused.reason());
            refuseAndClose(streamId, "NetStream.Publish.BadName", "publish refused");
            return;
        }
        publishing = (PublishDecision.Accepted) decision;
        state = State.PUBLISHING;
        log.info("publish started: stream={} session={} key={} from {}", publishing.streamId(), publishing.sessionId(),
                StreamKeys.mask(key), remoteAddress);
        listener.publishStarted(publishing);
        out.send(UserControl.streamBegin(streamId));
        out.send(new Command(streamId, "onStatus", 0, Arrays.asList(null,
                status("status", "NetStream.Publish.Start", "Publishing " + publishing.streamId() + "."))));
        while (!heldWhileDeciding.isEmpty() && state != State.CLOSED && state != State.DECIDING_PUBLISH) onMessage(heldWhileDeciding.poll());
    }

    /** Metadata arrives as @setDataFrame("onMetaData", {...}); downstream wants the plain onMetaData script tag. */
    private void onData(Data d) {
        if (state != State.PUBLISHING || d.values().isEmpty()) return;
        Object first = d.values().get(0);
        if ("@setDataFrame".equals(first)) {
            byte[] prefix = Amf0.encode(first);
            byte[] body = Arrays.copyOfRange(d.body(), prefix.length, d.body().length);
            listener.media(new Data(d.messageStreamId(), d.timestamp(), d.values().subList(1, d.values().size()), body));
        } else if ("onMetaData".equals(first)) {
            listener.media(d);
        }
    }

    private void endPublish(String reason) {
        if (publishing == null) return;
        PublishDecision.Accepted ended = publishing;
        publishing = null;
        state = State.CONNECTED;
        log.info("publish ended: stream={} session={} ({})", ended.streamId(), ended.sessionId(), reason);
        try {
            listener.publishEnded(ended, reason);
        } finally {
            endInGate(ended, reason);
        }
    }

    private void endInGate(PublishDecision.Accepted ended, String reason) {
        gateCalls.run(() -> {
            gate.end(ended, reason);
            return null;
        }, (ignored, error) -> {
            if (error != null) log.warn("ending publish {} in the registry failed: {}", ended.sessionId(), error.toString());
        });
    }

    private void refuseAndClose(int streamId, String code, String description) {
        out.send(new Command(streamId, "onStatus", 0, Arrays.asList(null, status("error", code, description))));
        closeNow();
    }

    private void closeNow() {
        endPublish("closed by the edge");
        state = State.CLOSED;
        heldWhileDeciding.clear();
        out.close();
    }

    private static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private static String stripSlashes(String app) {
        String s = app;
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        while (s.startsWith("/")) s = s.substring(1);
        return withoutQuery(s);
    }

    private static String withoutQuery(String value) {
        int q = value == null ? -1 : value.indexOf('?');
        return q >= 0 ? value.substring(0, q) : value;
    }
}
