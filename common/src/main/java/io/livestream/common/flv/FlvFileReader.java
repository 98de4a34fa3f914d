package io.livestream.common.flv;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads the tags of an FLV file (as ffmpeg writes them): for tests, benchmarks and replaying recordings. */
public final class FlvFileReader implements AutoCloseable {
    /** One tag: type 8 audio, 9 video, 18 script; timestamp in ms (the 32-bit extended form). */
    public record Tag(int type, long timestampMs, byte[] body) {}

    private final DataInputStream in;

    public FlvFileReader(InputStream in) throws IOException {
        this.in = new DataInputStream(in);
        byte[] header = new byte[9];
        this.in.readFully(header);
        if (header[0] != 'F' || header[1] != 'L' || header[2] != 'V') {
            throw new IOException("not an FLV file");
        }
        int headerSize = ((header[5] & 0xFF) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) | (header[8] & 0xFF);
        this.in.skipNBytes(headerSize - 9L + 4); // rest of header + PreviousTagSize0
    }

    /** The next tag, or null at the end of the file. */
    public Tag next() throws IOException {
        int type;
        try {
            type = in.readUnsignedByte() & 0x1F;
        } catch (EOFException end) {
            return null;
        }
        int size = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        long ts = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        ts |= (long) in.readUnsignedByte() << 24;
        in.skipNBytes(3); // stream id
        byte[] body = new byte[size];
        in.readFully(body);
        in.skipNBytes(4); // PreviousTagSize
        return new Tag(type, ts, body);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
