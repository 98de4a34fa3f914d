package io.livestream.edge.server;

import io.livestream.edge.chunk.ChunkDecoder;
import io.livestream.edge.chunk.RawMessage;
import io.livestream.edge.handshake.Handshake;
import io.livestream.edge.ingest.IngestSink;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessages;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.PublishGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: the edge's pipeline on an EmbeddedChannel, and reading back what it wrote. */
final class EmbeddedRtmp {
    static EmbeddedChannel channel(RtmpEdgeConfig config, PublishGate gate, IngestSink sink, EdgeMetrics metrics) {
        return new EmbeddedChannel(new RtmpDecoder(config), new RtmpEncoder(), new RtmpHandler(config, gate, sink, metrics));
    }

    /** All bytes the channel wrote so far (released after copying). */
    static byte[] outbound(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        return out;
    }

    /** Decodes what the server sent after S0+S1+S2, following its Set Chunk Size. */
    static List<RtmpMessage> serverMessages(byte[] outbound) {
        ByteBuf in = Unpooled.wrappedBuffer(outbound);
        in.skipBytes(1 + 2 * Handshake.PACKET_SIZE);
        ChunkDecoder decoder = new ChunkDecoder(1 << 24, 1 << 24, 64);
        List<RtmpMessage> messages = new ArrayList<>();
        RawMessage raw;
        while ((raw = decoder.decode(in)) != null) {
            for (RtmpMessage m : RtmpMessages.decode(raw)) {
                if (m instanceof RtmpMessage.SetChunkSize s) decoder.setChunkSize(s.size());
                messages.add(m);
            }
        }
        in.release();
        return messages;
    }

    /** The first bytes a real ffmpeg 8.0.1 publish sent (handshake, connect ... publish, @setDataFrame), captured once. */
    static byte[] ffmpegPublishPrefix() throws IOException {
        try (InputStream in = EmbeddedRtmp.class.getResourceAsStream("/ffmpeg-publish-prefix.hex")) {
            return HexFormat.of().parseHex(new String(in.readAllBytes()).replaceAll("\\s", ""));
        }
    }

    /** A plain C0+C1+C2. */
    static byte[] plainHandshake() {
        byte[] b = new byte[1 + 2 * Handshake.PACKET_SIZE];
        b[0] = 3;
        return b;
    }

    private EmbeddedRtmp() {}
}
