package io.livestream.edge.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livestream.edge.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Any byte stream reassembles into messages within the limits or stops with {@link RtmpProtocolException}, and the
 * result does not depend on how the bytes were sliced (the decoder consumes only whole chunks). Set Chunk Size and
 * Abort messages are applied as the server applies them, so the stream itself drives chunk size changes and aborts.
 */
class ChunkDecoderFuzzTest {
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final int MAX_STREAMS = 8;

    /** What one decoding run gave: the messages, then whether it ended in a protocol error. */
    private record Outcome(List<String> messages, boolean refused) {}

    @FuzzTest(maxDuration = "3s")
    void sameMessagesOrCleanRefusalHoweverTheBytesAreSliced(FuzzedDataProvider data) {
        long slicingSeed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        Outcome whole = decode(stream, null);
        Outcome sliced = decode(stream, new Random(slicingSeed));
        assertThat(sliced).as("sliced decoding equals decoding the whole stream at once").isEqualTo(whole);
    }

    private static Outcome decode(byte[] stream, Random slicing) {
        ChunkDecoder decoder = new ChunkDecoder(MAX_MESSAGE, MAX_CHUNK, MAX_STREAMS);
        List<String> messages = new ArrayList<>();
        ByteBuf in = Unpooled.buffer();
        try {
            int fed = 0;
            while (fed < stream.length) {
                int n = slicing == null ? stream.length : Math.min(stream.length - fed, 1 + slicing.nextInt(300));
                in.writeBytes(stream, fed, n);
                fed += n;
                RawMessage m;
                while ((m = decoder.decode(in)) != null) {
                    assertThat(m.payload().length).isLessThanOrEqualTo(MAX_MESSAGE);
                    assertThat(m.timestamp()).isBetween(0L, 0xFFFFFFFFL);
                    messages.add(m + " " + Arrays.hashCode(m.payload()));
                    applyControl(decoder, m);
                }
                in.discardReadBytes();
            }
            return new Outcome(messages, false);
        } catch (RtmpProtocolException e) {
            return new Outcome(messages, true);
        } finally {
            in.release();
        }
    }

    /** As RtmpDecoder does: type 1 sets the peer's chunk size, type 2 aborts a chunk stream's partial message. */
    private static void applyControl(ChunkDecoder decoder, RawMessage m) {
        byte[] p = m.payload();
        if (p.length < 4 || (m.typeId() != 1 && m.typeId() != 2)) return;
        long value = ((p[0] & 0xFFL) << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
        if (m.typeId() == 1) {
            decoder.setChunkSize(value);
            assertThat(decoder.chunkSize()).isEqualTo((int) value);
        } else {
            decoder.abort((int) value);
        }
    }
}
