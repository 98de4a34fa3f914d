package io.livestream.common.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The top-level boxes of an ISO BMFF (MP4) byte run: enough to tell an init segment (ftyp, moov) from a CMAF chunk
 * (moof, mdat) and to read a fragment's decode time. Pure; the origin checks what it stores, tests what they get.
 */
public final class Mp4Boxes {
    /** One box: its four-character type, where it starts and its whole size (header included). */
    public record Box(String type, int offset, int size) {}

    /** The top-level boxes in order; throws if a size runs past the end (a truncated or non-MP4 input). */
    public static List<Box> topLevel(byte[] data) {
        List<Box> boxes = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            if (data.length - at < 8) throw new IllegalArgumentException("truncated box header at " + at);
            long size = readUint32(data, at);
            String type = new String(data, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (data.length - at < 16) throw new IllegalArgumentException("truncated large box at " + at);
                size = (readUint32(data, at + 8) << 32) | readUint32(data, at + 12);
                header = 16;
            } else if (size == 0) {
                size = data.length - at; // to the end
            }
            if (size < header || size > data.length - at) throw new IllegalArgumentException(type + " box of " + size + " bytes at " + at);
            boxes.add(new Box(type, at, (int) size));
            at += (int) size;
        }
        return boxes;
    }

    /** The types of the top-level boxes, e.g. [ftyp, moov] or [moof, mdat]. */
    public static List<String> types(byte[] data) {
        return topLevel(data).stream().map(Box::type).toList();
    }

    /** Whether the bytes are one or more CMAF chunks: moof + mdat pairs (styp or prft boxes may precede them). */
    public static boolean isChunks(byte[] data) {
        List<String> types = types(data).stream().filter(t -> !t.equals("styp") && !t.equals("prft")).toList();
        if (types.isEmpty() || types.size() % 2 != 0) return false;
        for (int i = 0; i < types.size(); i += 2) {
            if (!types.get(i).equals("moof") || !types.get(i + 1).equals("mdat")) return false;
        }
        return true;
    }

    /** Whether the bytes are an initialisation segment: ftyp then moov, nothing else. */
    public static boolean isInitSegment(byte[] data) {
        return types(data).equals(List.of("ftyp", "moov"));
    }

    private static long readUint32(byte[] d, int at) {
        return ((d[at] & 0xFFL) << 24) | ((d[at + 1] & 0xFFL) << 16) | ((d[at + 2] & 0xFFL) << 8) | (d[at + 3] & 0xFFL);
    }

    private Mp4Boxes() {}
}
