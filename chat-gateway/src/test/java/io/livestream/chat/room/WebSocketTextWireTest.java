package io.livestream.chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared wire bytes are exactly what Netty's server encoder writes for the same text frame, at each length form. */
class WebSocketTextWireTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
    void sameBytesAsNettysServerEncoder(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'a');
        ByteBuf ours = Unpooled.buffer();
        WebSocketTextWire.append(ours, payload);
        assertThat(ours.readableBytes()).isEqualTo(WebSocketTextWire.size(length));

        EmbeddedChannel netty = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        netty.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf theirs = Unpooled.buffer();
        for (ByteBuf b; (b = netty.readOutbound()) != null; b.release()) theirs.writeBytes(b);
        assertThat(ByteBufUtil.getBytes(ours)).isEqualTo(ByteBufUtil.getBytes(theirs));
        netty.finishAndReleaseAll();
    }

    @Test
    void aBatchIsTheFramesBackToBackAndAClientReadsEachOne() {
        RoomFrames batch = new RoomFrames(List.of(frame("{\"n\":1}"), frame("{\"n\":2}"), frame("x".repeat(300))));
        ByteBuf wire = batch.wire(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(batch.wire(io.netty.buffer.ByteBufAllocator.DEFAULT)).isSameAs(wire); // encoded once

        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 16));
        client.writeInbound(wire.retainedDuplicate());
        batch.release();
        assertThat(wire.refCnt()).isZero();
        for (String expected : List.of("{\"n\":1}", "{\"n\":2}", "x".repeat(300))) {
            TextWebSocketFrame f = client.readInbound();
            assertThat(f.text()).isEqualTo(expected);
            f.release();
        }
        assertThat((Object) client.readInbound()).isNull();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    static RoomFrames.Frame frame(String json) {
        return new RoomFrames.Frame("s1", null, json.getBytes(StandardCharsets.UTF_8));
    }
}
