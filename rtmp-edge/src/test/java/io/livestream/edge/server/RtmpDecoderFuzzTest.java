package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livestream.edge.RtmpProtocolException;
import io.livestream.edge.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge's decoder on an EmbeddedChannel: any bytes, in any slices, give handshake requests, RTMP messages and
 * acknowledgement notices, or one clean {@link RtmpProtocolException} after which everything is swallowed; every
 * buffer written in is released by the end (the surefire run also sets leak detection to paranoid).
 */
class RtmpDecoderFuzzTest {
    /** Small limits, so that the fuzzer reaches them: 4 KiB messages and chunks, 8 chunk streams. */
    private static final RtmpEdgeConfig SMALL = new RtmpEdgeConfig("127.0.0.1", 0, -1, 4096, 4096, 8, 4, 4, 1 << 20, 4096, 30, 10, 30);

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @FuzzTest(maxDuration = "3s")
    void bytesGiveMessagesOrOneCleanProtocolError(FuzzedDataProvider data) {
        // most inputs start after a plain handshake, so the fuzzer spends its time in the chunk layer
        boolean afterPlainHandshake = data.consumeBoolean();
        long slicingSeed = data.consumeLong();
        byte[] body = data.consumeRemainingAsBytes();
        byte[] stream = afterPlainHandshake ? concat(EmbeddedRtmp.plainHandshake(), body) : body;

        EmbeddedChannel ch = new EmbeddedChannel(new RtmpDecoder(SMALL));
        java.util.Random slicing = new java.util.Random(slicingSeed);
        List<ByteBuf> written = new ArrayList<>();
        boolean refused = false;
        try {
            for (int fed = 0; fed < stream.length; ) {
                int n = Math.min(stream.length - fed, 1 + slicing.nextInt(2048));
                ByteBuf slice = Unpooled.copiedBuffer(stream, fed, n);
                written.add(slice);
                fed += n;
                boolean refusedBefore = refused;
                try {
                    ch.writeInbound(slice);
                } catch (DecoderException e) {
                    assertThat(e.getCause()).as("the only error is a protocol error").isInstanceOf(RtmpProtocolException.class);
                    assertThat(refused).as("after the first error the decoder swallows the rest").isFalse();
                    refused = true;
                }
                Object m;
                while ((m = ch.readInbound()) != null) {
                    // messages decoded before the error within the same read still arrive; none after it
                    if (refusedBefore) fail("a message after the protocol error: " + m);
                    assertThat(m).isInstanceOfAny(HandshakeRequest.class, RtmpMessage.class, AcknowledgementDue.class);
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
        for (ByteBuf b : written) assertThat(b.refCnt()).as("inbound buffer released").isZero();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
