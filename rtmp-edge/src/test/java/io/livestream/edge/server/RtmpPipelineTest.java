package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.amf0.Amf0;
import io.livestream.edge.handshake.Handshake;
import io.livestream.edge.ingest.InMemoryIngestSink;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessage.Command;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.InMemoryPublishGate;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Replays the bytes a real ffmpeg publish sent through the edge's pipeline and checks every reply. */
class RtmpPipelineTest {
    private static final String KEY = "live_0123456789abcdef0123456789abcdef";
    private final InMemoryIngestSink sink = new InMemoryIngestSink();
    private final InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of(KEY, "stream-1"));
    private final EdgeMetrics metrics = new EdgeMetrics();

    @Test
    void ffmpegCommandExchangeGetsTheRepliesItWaitsFor() throws Exception {
        byte[] wire = EmbeddedRtmp.ffmpegPublishPrefix();
        assertThat(Handshake.respond(Arrays.copyOf(wire, Handshake.C0C1_SIZE), new Random()).digest())
                .as("ffmpeg's C1 carries a valid digest").isTrue();

        EmbeddedChannel ch = EmbeddedRtmp.channel(RtmpEdgeConfig.defaults(), gate, sink, metrics);
        Random slicing = new Random(3);
        for (int pos = 0; pos < wire.length; ) { // in uneven TCP-like slices
            int n = Math.min(1 + slicing.nextInt(900), wire.length - pos);
            ch.writeInbound(Unpooled.wrappedBuffer(wire, pos, n));
            pos += n;
        }
        List<RtmpMessage> replies = EmbeddedRtmp.serverMessages(EmbeddedRtmp.outbound(ch));

        assertThat(replies.subList(0, 3)).containsExactly(
                new RtmpMessage.WindowAckSize(5_000_000), new RtmpMessage.SetPeerBandwidth(5_000_000, 2), new RtmpMessage.SetChunkSize(4096));
        Command connectResult = (Command) replies.get(3);
        assertThat(connectResult.name()).isEqualTo("_result");
        assertThat(connectResult.transactionId()).isEqualTo(1.0);
        assertThat((Map<String, Object>) connectResult.arguments().get(1)).containsEntry("code", "NetConnection.Connect.Success");
        assertThat(((Command) replies.get(4)).name()).isEqualTo("onFCPublish");
        Command createResult = (Command) replies.get(5);
        assertThat(createResult.transactionId()).isEqualTo(4.0);
        assertThat(createResult.arguments()).containsExactly(null, 1.0);
        assertThat(replies.get(6)).isEqualTo(RtmpMessage.UserControl.streamBegin(1));
        Command status = (Command) replies.get(7);
        assertThat(status.name()).isEqualTo("onStatus");
        assertThat(status.messageStreamId()).isEqualTo(1);
        assertThat((Map<String, Object>) status.arguments().get(1)).containsEntry("code", "NetStream.Publish.Start").containsEntry("level", "status");

        // @setDataFrame is stripped: the record is the plain onMetaData script tag
        assertThat(sink.records()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(IngestRecord.Kind.DATA);
            assertThat(Amf0.decodeAll(r.payload()).get(0)).isEqualTo("onMetaData");
        });
        assertThat(gate.ended()).isEmpty();
        ch.close();
        assertThat(gate.ended()).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("disconnected"));
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acknowledgesWhenThePeersWindowFills() {
        EmbeddedChannel ch = EmbeddedRtmp.channel(RtmpEdgeConfig.defaults(), gate, sink, metrics);
        ch.writeInbound(Unpooled.wrappedBuffer(EmbeddedRtmp.plainHandshake()));
        // Window Acknowledgement Size 100, then a 200-byte audio message
        ch.writeInbound(Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex("02000000000004050000000000000064")));
        byte[] audio = new byte[1 + 11 + 128 + 1 + 72];
        audio[0] = 4;
        audio[6] = (byte) 200;
        audio[7] = 8;
        audio[12 + 128] = (byte) 0xC4;
        ch.writeInbound(Unpooled.wrappedBuffer(audio));
        List<RtmpMessage> replies = EmbeddedRtmp.serverMessages(EmbeddedRtmp.outbound(ch));
        assertThat(replies).containsExactly(new RtmpMessage.Acknowledgement(16 + audio.length));
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
