package io.livestream.edge.server;

import io.livestream.edge.chunk.ChunkEncoder;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessages;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** RTMP messages to chunks; the chunk size this side announces takes effect right after its Set Chunk Size. */
final class RtmpEncoder extends MessageToByteEncoder<RtmpMessage> {
    private final ChunkEncoder chunks = new ChunkEncoder();

    RtmpEncoder() {
        super(RtmpMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage message, ByteBuf out) {
        chunks.encode(RtmpMessages.encode(message), out);
        if (message instanceof RtmpMessage.SetChunkSize s) chunks.setChunkSize((int) s.size());
    }
}
