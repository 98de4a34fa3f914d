package io.livestream.edge.server;

import io.livestream.edge.RtmpProtocolException;
import io.livestream.edge.chunk.ChunkDecoder;
import io.livestream.edge.chunk.RawMessage;
import io.livestream.edge.handshake.Handshake;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessages;
import io.livestream.netguard.DeadlineHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to RTMP objects: {@link HandshakeRequest}, then typed {@link RtmpMessage}s (chunk size and abort applied
 * here, where the chunk state lives) and {@link AcknowledgementDue} when the peer's window fills. After a protocol
 * error it swallows whatever else arrives while the handler closes the connection.
 */
final class RtmpDecoder extends ByteToMessageDecoder {
    enum State { HANDSHAKE_C0C1, HANDSHAKE_C2, CHUNKS, FAILED }

    private final ChunkDecoder chunks;
    private State state = State.HANDSHAKE_C0C1;
    private long bytesReceived;
    private long ackWindow;
    private long lastAck;

    RtmpDecoder(RtmpEdgeConfig config) {
        this.chunks = new ChunkDecoder(config.maxMessageSize(), config.maxChunkSize(), config.maxChunkStreams());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case HANDSHAKE_C0C1 -> {
                    if (!in.isReadable()) return;
                    int version = in.getUnsignedByte(in.readerIndex());
                    if (version != Handshake.VERSION) throw new RtmpProtocolException("handshake version " + version);
                    if (in.readableBytes() < Handshake.C0C1_SIZE) return;
                    byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
                    in.readBytes(c0c1);
                    out.add(new HandshakeRequest(c0c1));
                    state = State.HANDSHAKE_C2;
                }
                case HANDSHAKE_C2 -> {
                    if (in.readableBytes() < Handshake.PACKET_SIZE) return;
                    in.skipBytes(Handshake.PACKET_SIZE);
                    state = State.CHUNKS;
                    DeadlineHandler.met(ctx.pipeline(), RtmpChannelInitializer.HANDSHAKE_DEADLINE);
                }
                case CHUNKS -> decodeChunks(in, out);
                case FAILED -> in.skipBytes(in.readableBytes());
            }
        } catch (RuntimeException e) {
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeChunks(ByteBuf in, List<Object> out) {
        while (true) {
            int before = in.readerIndex();
            RawMessage raw = chunks.decode(in);
            bytesReceived += in.readerIndex() - before;
            if (ackWindow > 0 && bytesReceived - lastAck >= ackWindow) {
                lastAck = bytesReceived;
                out.add(new AcknowledgementDue(bytesReceived & 0xFFFFFFFFL));
            }
            if (raw == null) return;
            for (RtmpMessage m : RtmpMessages.decode(raw)) {
                if (m instanceof RtmpMessage.SetChunkSize s) chunks.setChunkSize(s.size());
                else if (m instanceof RtmpMessage.Abort a) chunks.abort(a.chunkStreamId());
                else if (m instanceof RtmpMessage.WindowAckSize w) ackWindow = w.size();
                out.add(m);
            }
        }
    }
}
