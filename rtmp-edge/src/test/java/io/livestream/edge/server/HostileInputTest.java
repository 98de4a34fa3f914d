package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.edge.ingest.InMemoryIngestSink;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.InMemoryPublishGate;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed and hostile byte streams close only their own connection. */
class HostileInputTest {
    private static final HexFormat HEX = HexFormat.of();
    private final InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of("key", "s"));
    private final InMemoryIngestSink sink = new InMemoryIngestSink();
    private final EdgeMetrics metrics = new EdgeMetrics();

    /** Messages up to 1 KiB, 8 chunk streams. */
    private static final RtmpEdgeConfig SMALL = new RtmpEdgeConfig("127.0.0.1", 0, -1, 1024, 1 << 20, 8, 4, 4, 1 << 20, 4096, 30, 10, 30);

    private EmbeddedChannel afterHandshake() {
        return afterHandshake(RtmpEdgeConfig.defaults());
    }

    private EmbeddedChannel afterHandshake(RtmpEdgeConfig config) {
        EmbeddedChannel ch = EmbeddedRtmp.channel(config, gate, sink, metrics);
        ch.writeInbound(Unpooled.wrappedBuffer(EmbeddedRtmp.plainHandshake()));
        EmbeddedRtmp.outbound(ch);
        assertThat(ch.isOpen()).isTrue();
        return ch;
    }

    private void assertClosedBy(String chunksHex) {
        assertClosedBy(RtmpEdgeConfig.defaults(), chunksHex);
    }

    private void assertClosedBy(RtmpEdgeConfig config, String chunksHex) {
        EmbeddedChannel ch = afterHandshake(config);
        ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(chunksHex)));
        assertThat(ch.isOpen()).as("closed after %s", chunksHex).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void badHandshakeVersionCloses() {
        EmbeddedChannel ch = EmbeddedRtmp.channel(RtmpEdgeConfig.defaults(), gate, sink, metrics);
        ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("474554202f20485454502f312e310d0a"))); // "GET / HTTP/1.1"
        assertThat(ch.isOpen()).isFalse();
        assertThat(EmbeddedRtmp.outbound(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownChunkStreamOnFormat1To3Closes() {
        assertClosedBy("45" + "000000" + "000010" + "09");
        assertClosedBy("85" + "000000");
        assertClosedBy("c5");
    }

    /** The 24-bit length field tops out just under 16 MiB, the default limit: a smaller limit shows the check. */
    @Test
    void messageLengthOverTheLimitCloses() {
        assertClosedBy(SMALL, "04" + "000000" + "000401" + "09" + "01000000");
    }

    @Test
    void tooManyChunkStreamsCloses() {
        StringBuilder hex = new StringBuilder();
        for (int cs = 3; cs < 3 + 9; cs++) hex.append(String.format("%02x", cs)).append("000000" + "000100" + "09" + "01000000").append("00".repeat(128)); // 9 half-sent messages
        assertClosedBy(SMALL, hex.toString());
    }

    @Test
    void chunkSizeZeroOrTopBitSetCloses() {
        assertClosedBy("02" + "000000" + "000004" + "01" + "00000000" + "00000000");
        assertClosedBy("02" + "000000" + "000004" + "01" + "00000000" + "80000000");
    }

    @Test
    void garbageAmfInACommandCloses() {
        assertClosedBy("03" + "000000" + "000003" + "14" + "00000000" + "02ffff");
    }

    @Test
    void aHostileConnectionLeavesTheOthersAlone() {
        EmbeddedChannel good = afterHandshake();
        EmbeddedChannel bad = afterHandshake();
        bad.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("c5")));
        assertThat(bad.isOpen()).isFalse();
        // the good one still decodes: Set Chunk Size 4096 then a ping request answered with a ping response
        good.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("02000000000004010000000000001000" + "020000000000060400000000" + "0006000004d2")));
        assertThat(good.isOpen()).isTrue();
        assertThat(EmbeddedRtmp.serverMessages(prependHandshake(EmbeddedRtmp.outbound(good))))
                .containsExactly(io.livestream.edge.message.RtmpMessage.UserControl.pingResponse(1234));
        assertThat(metrics.scrape()).contains("rtmp_edge_protocol_errors_total 1.0");
        good.finishAndReleaseAll();
        bad.finishAndReleaseAll();
    }

    private static byte[] prependHandshake(byte[] chunks) {
        byte[] out = new byte[1 + 2 * 1536 + chunks.length];
        System.arraycopy(chunks, 0, out, 1 + 2 * 1536, chunks.length);
        return out;
    }
}
