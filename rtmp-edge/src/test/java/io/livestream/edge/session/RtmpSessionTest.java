package io.livestream.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.edge.amf0.Amf0;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessage.Command;
import io.livestream.edge.message.RtmpMessages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RtmpSessionTest {
    private static final String KEY = "live_00000000000000000000000000000001";

    private final List<RtmpMessage> sent = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean closed;
    private final InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of(KEY, "s1"));

    private final SessionOutput output = new SessionOutput() {
        @Override public void send(RtmpMessage message) { sent.add(message); }
        @Override public void close() { closed = true; }
    };
    private final PublishListener listener = new PublishListener() {
        @Override public void publishStarted(PublishDecision.Accepted accepted) { events.add("start " + accepted.streamId()); }
        @Override public void media(RtmpMessage message) { events.add("media " + message.getClass().getSimpleName()); }
        @Override public void publishEnded(PublishDecision.Accepted accepted, String reason) { events.add("end " + reason); }
        @Override public void publishRefused(String reason) { events.add("refused " + reason); }
    };

    private RtmpSession session() {
        return new RtmpSession(gate, "1.2.3.4:5", 4096, output, listener);
    }

    private static Command command(int streamId, String name, double txn, Object... args) {
        return new Command(streamId, name, txn, Arrays.asList(args));
    }

    private void connectAndPublish(RtmpSession s, String key) {
        s.onMessage(command(0, "connect", 1, Map.of("app", "live", "tcUrl", "rtmp://h/live")));
        s.onMessage(command(0, "releaseStream", 2, null, key));
        s.onMessage(command(0, "FCPublish", 3, null, key));
        s.onMessage(command(0, "createStream", 4, (Object) null));
        s.onMessage(command(1, "publish", 5, null, key, "live"));
    }

    @Test
    void publishWithAGoodKeyStartsAndMediaFlows() {
        RtmpSession s = session();
        connectAndPublish(s, KEY);
        assertThat(s.isPublishing()).isTrue();
        assertThat(events).containsExactly("start s1");
        Command status = (Command) sent.get(sent.size() - 1);
        assertThat(((Map<String, Object>) status.arguments().get(1)).get("code")).isEqualTo("NetStream.Publish.Start");

        s.onMessage(RtmpMessages.data(1, 0, "@setDataFrame", "onMetaData", Map.of("width", 320.0)));
        s.onMessage(new RtmpMessage.Video(1, 0, new byte[] {0x17, 0, 0, 0, 0}));
        s.onMessage(new RtmpMessage.Audio(1, 0, new byte[] {(byte) 0xAF, 0, 0x12, 0x10}));
        assertThat(events).containsExactly("start s1", "media Data", "media Video", "media Audio");
        assertThat(closed).isFalse();
    }

    @Test
    void metadataLosesItsSetDataFramePrefix() {
        List<RtmpMessage> media = new ArrayList<>();
        RtmpSession s = new RtmpSession(gate, "r", 4096, output, new PublishListener() {
            @Override public void publishStarted(PublishDecision.Accepted a) {}
            @Override public void media(RtmpMessage m) { media.add(m); }
            @Override public void publishEnded(PublishDecision.Accepted a, String r) {}
        });
        connectAndPublish(s, KEY);
        s.onMessage(RtmpMessages.data(1, 0, "@setDataFrame", "onMetaData", Map.of("width", 320.0)));
        RtmpMessage.Data d = (RtmpMessage.Data) media.get(0);
        assertThat(d.body()).isEqualTo(Amf0.encode("onMetaData", Map.of("width", 320.0)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRegistryThatIsDownRefusesThePublishWithAStatusNotADroppedConnection() {
        PublishGate down = new PublishGate() {
            @Override public PublishDecision begin(String app, String streamKey, String remoteAddress) {
                throw new IllegalStateException("Unexpected end of stream (redis)");
            }
            @Override public void end(PublishDecision.Accepted accepted, String reason) { throw new AssertionError("never began"); }
        };
        RtmpSession s = new RtmpSession(down, "1.2.3.4:5", 4096, output, listener);
        connectAndPublish(s, KEY);
        Command status = (Command) sent.get(sent.size() - 1);
        assertThat((Map<String, Object>) status.arguments().get(1)).containsEntry("level", "error")
                .containsEntry("code", "NetStream.Publish.Failed").containsEntry("description", "stream registry unavailable, try again shortly");
        assertThat(closed).isTrue();
        assertThat(events).containsExactly("refused registry unavailable");
        s.onDisconnect();
    }

    /** Gate calls that wait until the test answers them, as the server's pool does until Redis answers. */
    private static final class HeldGateCalls implements GateCalls {
        private final List<Runnable> waiting = new ArrayList<>();

        @Override
        public <T> void run(java.util.function.Supplier<T> call, java.util.function.BiConsumer<T, RuntimeException> onConnectionThread) {
            waiting.add(() -> GateCalls.IN_PLACE.run(call, onConnectionThread));
        }

        void answerAll() {
            while (!waiting.isEmpty()) waiting.remove(0).run();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatArrivesWhileThePublishIsDecidedIsHeldAndHandledInOrderOnceItIsAccepted() {
        HeldGateCalls calls = new HeldGateCalls();
        RtmpSession s = new RtmpSession(gate, "1.2.3.4:5", 4096, output, listener, calls);
        connectAndPublish(s, KEY);
        assertThat(gate.decisions()).as("the gate is not asked on the connection's thread").isEmpty();
        s.onMessage(RtmpMessages.data(1, 0, "@setDataFrame", "onMetaData", Map.of("width", 320.0)));
        s.onMessage(new RtmpMessage.Video(1, 0, new byte[] {0x17, 0, 0, 0, 0}));
        s.onMessage(new RtmpMessage.UserControl(RtmpMessage.UserControl.PING_REQUEST, 9, 0));
        assertThat(events).isEmpty();
        assertThat(s.isPublishing()).isFalse();

        calls.answerAll();
        assertThat(s.isPublishing()).isTrue();
        assertThat(events).containsExactly("start s1", "media Data", "media Video");
        Command start = (Command) sent.get(sent.size() - 2);
        assertThat(((Map<String, Object>) start.arguments().get(1)).get("code")).isEqualTo("NetStream.Publish.Start");
        assertThat(sent.get(sent.size() - 1)).isEqualTo(RtmpMessage.UserControl.pingResponse(9));
    }

    @Test
    void aPublisherGoneBeforeItsPublishIsAcceptedStillEndsItInTheGate() {
        HeldGateCalls calls = new HeldGateCalls();
        RtmpSession s = new RtmpSession(gate, "1.2.3.4:5", 4096, output, listener, calls);
        connectAndPublish(s, KEY);
        s.onDisconnect();
        calls.answerAll();
        assertThat(gate.decisions()).singleElement().isInstanceOf(PublishDecision.Accepted.class);
        assertThat(gate.ended()).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("disconnected before the publish was answered"));
        assertThat(events).as("nothing started for a connection that is gone").isEmpty();
    }

    @Test
    void aClientFloodingWhileItsPublishIsDecidedIsClosed() {
        HeldGateCalls calls = new HeldGateCalls();
        RtmpSession s = new RtmpSession(gate, "1.2.3.4:5", 4096, output, listener, calls);
        connectAndPublish(s, KEY);
        for (int i = 0; i <= RtmpSession.MAX_HELD_WHILE_DECIDING; i++) s.onMessage(new RtmpMessage.Video(1, i, new byte[] {0x27, 1, 0, 0, 0}));
        assertThat(closed).isTrue();
        calls.answerAll();
        assertThat(events).isEmpty();
        assertThat(gate.ended()).as("the accepted publish is ended again").hasSize(1);
    }

    @Test
    void wrongKeyIsRefusedWithBadNameAndTheConnectionClosed() {
        RtmpSession s = session();
        connectAndPublish(s, "live_wrong");
        Command status = (Command) sent.get(sent.size() - 1);
        assertThat(status.name()).isEqualTo("onStatus");
        assertThat((Map<String, Object>) status.arguments().get(1)).containsEntry("level", "error").containsEntry("code", "NetStream.Publish.BadName");
        assertThat(closed).isTrue();
        assertThat(events).containsExactly("refused unknown stream key");
        s.onMessage(new RtmpMessage.Video(1, 0, new byte[] {0x17, 1, 0, 0, 0}));
        s.onDisconnect();
        assertThat(events).containsExactly("refused unknown stream key");
        assertThat(gate.ended()).isEmpty();
    }

    @Test
    void aKeyAlreadyPublishingIsRefused() {
        RtmpSession first = session();
        connectAndPublish(first, KEY);
        RtmpSession second = session();
        connectAndPublish(second, KEY);
        assertThat(events).containsExactly("start s1", "refused stream already live");
        assertThat(first.isPublishing()).isTrue();
    }

    @Test
    void endIsCalledExactlyOnceWhateverEndsThePublish() {
        RtmpSession s = session();
        connectAndPublish(s, KEY);
        s.onMessage(command(1, "FCUnpublish", 6, null, KEY));
        s.onMessage(command(0, "deleteStream", 7, null, 1.0));
        s.onMessage(command(1, "closeStream", 8, (Object) null));
        s.onDisconnect();
        assertThat(gate.ended()).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("FCUnpublish"));
        assertThat(events).containsExactly("start s1", "end FCUnpublish");

        RtmpSession other = session();
        connectAndPublish(other, KEY); // the key is free again
        other.onDisconnect();
        assertThat(gate.ended()).hasSize(2);
        assertThat(gate.ended().get(1).reason()).isEqualTo("disconnected");
    }

    @Test
    void connectGetsWindowBandwidthChunkSizeAndSuccess() {
        RtmpSession s = session();
        s.onMessage(command(0, "connect", 1, Map.of("app", "live/")));
        assertThat(sent.subList(0, 3)).containsExactly(
                new RtmpMessage.WindowAckSize(RtmpSession.WINDOW_ACK_SIZE),
                new RtmpMessage.SetPeerBandwidth(RtmpSession.PEER_BANDWIDTH, 2),
                new RtmpMessage.SetChunkSize(4096));
        Command result = (Command) sent.get(3);
        assertThat(result.name()).isEqualTo("_result");
        assertThat((Map<String, Object>) result.arguments().get(1)).containsEntry("code", "NetConnection.Connect.Success");
    }

    @Test
    void pingRequestsAreAnswered() {
        RtmpSession s = session();
        s.onMessage(new RtmpMessage.UserControl(RtmpMessage.UserControl.PING_REQUEST, 77, 0));
        assertThat(sent).containsExactly(RtmpMessage.UserControl.pingResponse(77));
    }

    @Test
    void keysAreMaskedInLogs() {
        assertThat(StreamKeys.mask(KEY)).isEqualTo("live_000...");
        assertThat(StreamKeys.mask("short")).isEqualTo("s...");
        assertThat(StreamKeys.mask("")).isEqualTo("...");
    }
}
