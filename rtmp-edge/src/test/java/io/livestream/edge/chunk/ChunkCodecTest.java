package io.livestream.edge.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.edge.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf buf() {
        ByteBuf b = Unpooled.buffer();
        buffers.add(b);
        return b;
    }

    private static ChunkDecoder decoder() {
        return new ChunkDecoder(16 * 1024 * 1024, 16 * 1024 * 1024, 64);
    }

    private static byte[] payload(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Byte-level table: each header format and the extended timestamp, decoded and encoded. */
    @Test
    void headerFormatsMatchTheSpecBytes() {
        // fmt 0 on cs 3: ts 1000, length 2, type 20, stream 1 (little endian); then fmt 1 (delta 40, len 1, type 9);
        // fmt 2 (delta 33), fmt 3 (delta 33 again)
        String wire = "03" + "0003e8" + "000002" + "14" + "01000000" + "aabb"
                + "43" + "000028" + "000001" + "09" + "cc"
                + "83" + "000021" + "dd"
                + "c3" + "ee";
        List<RawMessage> expected = List.of(
                new RawMessage(3, 1000, 20, 1, HEX.parseHex("aabb")),
                new RawMessage(3, 1040, 9, 1, HEX.parseHex("cc")),
                new RawMessage(3, 1073, 9, 1, HEX.parseHex("dd")),
                new RawMessage(3, 1106, 9, 1, HEX.parseHex("ee")));
        assertThat(decodeAll(decoder(), HEX.parseHex(wire))).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected);

        ChunkEncoder encoder = new ChunkEncoder();
        ByteBuf out = buf();
        expected.forEach(m -> encoder.encode(m, out));
        assertThat(HEX.formatHex(bytes(out))).isEqualTo(wire);
    }

    @Test
    void extendedTimestampIsRepeatedOnFormat3Chunks() {
        long ts = 0x01000000L + 5; // above 0xFFFFFF
        RawMessage m = new RawMessage(4, ts, 9, 1, payload(300, 1)); // 3 chunks at size 128
        ChunkEncoder encoder = new ChunkEncoder();
        ByteBuf out = buf();
        encoder.encode(m, out);
        byte[] wire = bytes(out);
        // first chunk: 1 + 11 + 4 ext + 128; the continuations: 1 + 4 ext + payload
        assertThat(wire).hasSize(1 + 11 + 4 + 300 + 2 * (1 + 4));
        assertThat(HEX.formatHex(wire, 1, 4)).isEqualTo("ffffff");
        assertThat(HEX.formatHex(wire, 12, 16)).isEqualTo("01000005");
        assertThat(wire[16 + 128]).isEqualTo((byte) 0xC4);
        assertThat(HEX.formatHex(wire, 16 + 129, 16 + 133)).isEqualTo("01000005");

        List<RawMessage> decoded = decodeAll(decoder(), wire);
        assertThat(decoded).singleElement().satisfies(d -> {
            assertThat(d.timestamp()).isEqualTo(ts);
            assertThat(d.payload()).isEqualTo(m.payload());
        });
    }

    @Test
    void interleavedChunkStreamsWithExtendedTimestampsRoundTripInAnySlices() {
        List<RawMessage> messages = new ArrayList<>();
        Random r = new Random(7);
        long audioTs = 0xFFFFF0L, videoTs = 0xFFFF00L;
        for (int i = 0; i < 40; i++) {
            audioTs += 23;
            videoTs += 33;
            messages.add(new RawMessage(4, audioTs, 8, 1, payload(r.nextInt(400), i)));
            messages.add(new RawMessage(6, videoTs, 9, 1, payload(r.nextInt(3000), 100 + i)));
        }
        // interleave at chunk level: encode each message separately, then shuffle whole chunks of the two streams
        ChunkEncoder encoder = new ChunkEncoder();
        encoder.setChunkSize(256);
        ByteBuf out = buf();
        messages.forEach(m -> encoder.encode(m, out));
        byte[] wire = bytes(out);

        ChunkDecoder decoder = decoder();
        decoder.setChunkSize(256);
        List<RawMessage> decoded = new ArrayList<>();
        ByteBuf in = buf();
        for (int pos = 0; pos < wire.length; ) { // feed in awkward slices
            int n = Math.min(1 + r.nextInt(700), wire.length - pos);
            in.writeBytes(wire, pos, n);
            pos += n;
            RawMessage m;
            while ((m = decoder.decode(in)) != null) decoded.add(m);
            in.discardReadBytes();
        }
        assertThat(decoded).usingRecursiveFieldByFieldElementComparator().isEqualTo(messages);
    }

    @Test
    void chunksOfTwoStreamsInterleavedOnTheWire() {
        byte[] a = payload(200, 1), v = payload(200, 2);
        // cs 4 first chunk, cs 6 first chunk, cs 4 rest, cs 6 rest (chunk size 128)
        ByteBuf wire = buf();
        wire.writeBytes(HEX.parseHex("04" + "000010" + "0000c8" + "08" + "01000000")).writeBytes(a, 0, 128);
        wire.writeBytes(HEX.parseHex("06" + "000020" + "0000c8" + "09" + "01000000")).writeBytes(v, 0, 128);
        wire.writeByte(0xC4).writeBytes(a, 128, 72);
        wire.writeByte(0xC6).writeBytes(v, 128, 72);
        ChunkDecoder decoder = decoder();
        RawMessage first = decoder.decode(wire);
        RawMessage second = decoder.decode(wire);
        assertThat(first.chunkStreamId()).isEqualTo(4);
        assertThat(first.payload()).isEqualTo(a);
        assertThat(second.chunkStreamId()).isEqualTo(6);
        assertThat(second.payload()).isEqualTo(v);
        assertThat(second.timestamp()).isEqualTo(0x20);
    }

    @Test
    void largeMessagesReassembleAcrossManyChunks() {
        RawMessage keyframe = new RawMessage(6, 40, 9, 1, payload(1_000_003, 9)); // grows past the initial buffer
        ChunkEncoder encoder = new ChunkEncoder();
        encoder.setChunkSize(4096);
        ByteBuf wire = buf();
        encoder.encode(keyframe, wire);
        ChunkDecoder decoder = decoder();
        decoder.setChunkSize(4096);
        RawMessage decoded = decoder.decode(wire);
        assertThat(decoded.timestamp()).isEqualTo(40);
        assertThat(Arrays.equals(decoded.payload(), keyframe.payload())).isTrue(); // AssertJ compares 1 MB element by element: slow
        assertThat(wire.readableBytes()).isZero();
    }

    @Test
    void setChunkSizeMidStreamAppliesToTheNextChunk() {
        ChunkEncoder encoder = new ChunkEncoder();
        ByteBuf wire = buf();
        RawMessage small = new RawMessage(3, 0, 20, 0, payload(300, 1));
        encoder.encode(small, wire);
        encoder.setChunkSize(4096);
        RawMessage big = new RawMessage(6, 0, 9, 1, payload(4000, 2));
        encoder.encode(big, wire);
        assertThat(wire.readableBytes()).isEqualTo(1 + 11 + 300 + 2 + 1 + 11 + 4000);

        ChunkDecoder decoder = decoder();
        assertThat(decoder.decode(wire).payload()).isEqualTo(small.payload());
        decoder.setChunkSize(4096);
        assertThat(decoder.decode(wire).payload()).isEqualTo(big.payload());
    }

    @Test
    void abortDropsThePartialMessage() {
        ByteBuf wire = buf();
        byte[] p = payload(200, 3);
        wire.writeBytes(HEX.parseHex("06" + "000000" + "0000c8" + "09" + "01000000")).writeBytes(p, 0, 128);
        ChunkDecoder decoder = decoder();
        assertThat(decoder.decode(wire)).isNull();
        decoder.abort(6);
        // a new message on the same chunk stream starts cleanly with format 3 (same header, delta 0)
        wire.writeByte(0xC6).writeBytes(p, 0, 128);
        wire.writeByte(0xC6).writeBytes(p, 128, 72);
        assertThat(decoder.decode(wire).payload()).isEqualTo(p);
    }

    @Test
    void malformedChunksAreProtocolErrors() {
        assertThatThrownBy(() -> decoder().decode(Unpooled.wrappedBuffer(HEX.parseHex("43000000000001090a"))))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("unknown chunk stream");
        assertThatThrownBy(() -> new ChunkDecoder(1 << 20, 1 << 20, 64).decode(Unpooled.wrappedBuffer(HEX.parseHex("03000000ffffff0901000000"))))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("over the");
        assertThatThrownBy(() -> decoder().setChunkSize(0)).isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> decoder().setChunkSize(0x80000000L)).isInstanceOf(RtmpProtocolException.class);
    }

    @Test
    void threeByteBasicHeadersRoundTrip() {
        for (int csid : new int[] {2, 63, 64, 319, 320, 65599}) {
            RawMessage m = new RawMessage(csid, 5, 8, 1, payload(10, csid));
            ByteBuf wire = buf();
            new ChunkEncoder().encode(m, wire);
            assertThat(decoder().decode(wire)).usingRecursiveComparison().isEqualTo(m);
        }
    }

    private static List<RawMessage> decodeAll(ChunkDecoder decoder, byte[] wire) {
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        List<RawMessage> out = new ArrayList<>();
        RawMessage m;
        while ((m = decoder.decode(in)) != null) out.add(m);
        assertThat(in.readableBytes()).isZero();
        in.release();
        return out;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
