package io.livestream.origin.dash;

import io.livestream.common.media.Mp4Boxes;
import io.livestream.common.media.Mp4Boxes.Box;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the transcoder's muxed fMP4 (one init with a video and an audio trak, chunks whose moof has a traf per
 * track over one mdat) into one fMP4 per track, byte for byte apart from the box headers and offsets it must
 * change: DASH players (dash.js) want one media type per Representation. Pure.
 *
 * <p>Only what the transcoder's muxer (FFmpeg's, {@code default_base_moof}) writes is accepted: data offsets relative
 * to the moof, no base_data_offset; anything else throws {@link IllegalArgumentException}.
 */
public final class Fmp4Tracks {
    /** One track of an init segment: its id, handler ("vide", "soun"), media timescale and its own init segment. */
    public record Track(int trackId, String handler, long timescale, byte[] init) {
        public boolean isVideo() { return handler.equals("vide"); }

        public boolean isAudio() { return handler.equals("soun"); }
    }

    private static final int TFHD_BASE_DATA_OFFSET = 0x1;
    private static final int TFHD_SAMPLE_DESCRIPTION = 0x2;
    private static final int TFHD_DEFAULT_DURATION = 0x8;
    private static final int TFHD_DEFAULT_SIZE = 0x10;
    private static final int TRUN_DATA_OFFSET = 0x1;
    private static final int TRUN_FIRST_SAMPLE_FLAGS = 0x4;
    private static final int TRUN_DURATION = 0x100;
    private static final int TRUN_SIZE = 0x200;
    private static final int TRUN_FLAGS = 0x400;
    private static final int TRUN_CTO = 0x800;

    /** The tracks of an init segment (ftyp + moov), each with an init of ftyp + a moov holding only its trak and trex. */
    public static List<Track> tracks(byte[] init) {
        List<Box> top = Mp4Boxes.topLevel(init);
        Box ftyp = find(top, "ftyp");
        Box moov = find(top, "moov");
        if (ftyp == null || moov == null) throw new IllegalArgumentException("not an init segment: " + Mp4Boxes.types(init));
        List<Box> moovChildren = children(init, moov);
        Box mvhd = find(moovChildren, "mvhd");
        Box mvex = find(moovChildren, "mvex");
        if (mvhd == null || mvex == null) throw new IllegalArgumentException("not a fragmented init: no mvhd or mvex");
        List<Box> mvexChildren = children(init, mvex);
        List<Track> tracks = new ArrayList<>();
        for (Box trak : moovChildren) {
            if (!trak.type().equals("trak")) continue;
            List<Box> trakChildren = children(init, trak);
            Box tkhd = require(trakChildren, "tkhd");
            int version = init[tkhd.offset() + 8] & 0xff;
            int trackId = (int) u32(init, tkhd.offset() + 8 + 4 + (version == 1 ? 16 : 8));
            List<Box> mdia = children(init, require(trakChildren, "mdia"));
            Box mdhd = require(mdia, "mdhd");
            int mdhdVersion = init[mdhd.offset() + 8] & 0xff;
            long timescale = u32(init, mdhd.offset() + 8 + 4 + (mdhdVersion == 1 ? 16 : 8));
            Box hdlr = require(mdia, "hdlr");
            String handler = new String(init, hdlr.offset() + 16, 4, StandardCharsets.ISO_8859_1);
            Out ownMvex = new Out();
            for (Box b : mvexChildren) {
                boolean otherTrex = b.type().equals("trex") && u32(init, b.offset() + 12) != trackId;
                if (!otherTrex) ownMvex.copy(init, b); // mehd (fragment duration) and this track's trex
            }
            Out ownMoov = new Out();
            ownMoov.copy(init, mvhd);
            ownMoov.copy(init, trak);
            ownMoov.box("mvex", ownMvex.bytes());
            Out out = new Out();
            out.copy(init, ftyp);
            out.box("moov", ownMoov.bytes());
            tracks.add(new Track(trackId, handler, timescale, out.bytes()));
        }
        return tracks;
    }

    /**
     * Track {@code trackId}'s samples of CMAF chunks (moof + mdat pairs; styp and prft boxes are dropped) as chunks of
     * their own: each moof keeps its mfhd and that track's traf (its trun data offsets recomputed), each mdat only that
     * track's sample bytes. A chunk without a traf of the track gives nothing. Decode times are moved by
     * {@code decodeTimeShift} (in the track's timescale, not below 0; tfdt is written in version 1, as the shifted time
     * may need 64 bits).
     */
    public static byte[] extract(byte[] chunks, int trackId, long decodeTimeShift) {
        List<Box> top = Mp4Boxes.topLevel(chunks);
        Out out = new Out();
        for (int i = 0; i < top.size(); i++) {
            Box moof = top.get(i);
            if (!moof.type().equals("moof")) {
                if (moof.type().equals("styp") || moof.type().equals("prft")) continue;
                throw new IllegalArgumentException(moof.type() + " where a moof should be");
            }
            if (i + 1 >= top.size() || !top.get(i + 1).type().equals("mdat")) throw new IllegalArgumentException("moof without its mdat");
            i++;
            extractChunk(chunks, moof, trackId, decodeTimeShift, out);
        }
        return out.bytes();
    }

    /** The decode time (tfdt) of track {@code trackId}'s first traf in the chunks, or -1 if none of them has one. */
    public static long firstDecodeTime(byte[] chunks, int trackId) {
        for (Box moof : Mp4Boxes.topLevel(chunks)) {
            if (!moof.type().equals("moof")) continue;
            for (Box traf : children(chunks, moof)) {
                if (!traf.type().equals("traf")) continue;
                List<Box> trafChildren = children(chunks, traf);
                if (u32(chunks, require(trafChildren, "tfhd").offset() + 12) != trackId) continue;
                return decodeTime(chunks, require(trafChildren, "tfdt"));
            }
        }
        return -1;
    }

    private static void extractChunk(byte[] data, Box moof, int trackId, long decodeTimeShift, Out out) {
        List<Box> moofChildren = children(data, moof);
        Box mfhd = require(moofChildren, "mfhd");
        for (Box traf : moofChildren) {
            if (!traf.type().equals("traf")) continue;
            List<Box> trafChildren = children(data, traf);
            Box tfhd = require(trafChildren, "tfhd");
            if (u32(data, tfhd.offset() + 12) != trackId) continue;
            int tfhdFlags = flags(data, tfhd);
            if ((tfhdFlags & TFHD_BASE_DATA_OFFSET) != 0) throw new IllegalArgumentException("tfhd with base_data_offset");
            long defaultSize = defaultSampleSize(data, tfhd, tfhdFlags);
            // the truns as they will be written: their sample bytes, in order, make the new mdat
            List<Box> truns = trafChildren.stream().filter(b -> b.type().equals("trun")).toList();
            ByteArrayOutputStream samples = new ByteArrayOutputStream();
            long[] runStarts = new long[truns.size()];
            for (int r = 0; r < truns.size(); r++) {
                Box trun = truns.get(r);
                int flags = flags(data, trun);
                if ((flags & TRUN_DATA_OFFSET) == 0) throw new IllegalArgumentException("trun without data_offset");
                long from = moof.offset() + (long) s32(data, trun.offset() + 16);
                long length = runLength(data, trun, flags, defaultSize);
                if (from < 0 || from + length > data.length) throw new IllegalArgumentException("trun data outside the input");
                runStarts[r] = samples.size();
                samples.write(data, (int) from, (int) length);
            }
            Out newTraf = new Out();
            int moofSize = 8 + mfhd.size() + 8;
            for (Box b : trafChildren) moofSize += b.type().equals("tfdt") ? 20 : b.size();
            int trunIndex = 0;
            for (Box b : trafChildren) {
                switch (b.type()) {
                    // audio that starts before the first segment's first frame would go below 0: it starts at 0
                    case "tfdt" -> newTraf.tfdt(Math.max(0, decodeTime(data, b) + decodeTimeShift));
                    case "trun" -> {
                        byte[] trun = Arrays.copyOfRange(data, b.offset(), b.offset() + b.size());
                        putS32(trun, 16, Math.toIntExact(moofSize + 8 + runStarts[trunIndex++]));
                        newTraf.raw(trun);
                    }
                    default -> newTraf.copy(data, b);
                }
            }
            Out newMoof = new Out();
            newMoof.copy(data, mfhd);
            newMoof.box("traf", newTraf.bytes());
            byte[] moofBytes = newMoof.boxBytes("moof");
            if (moofBytes.length != moofSize) throw new IllegalStateException("moof size " + moofBytes.length + " != " + moofSize);
            out.raw(moofBytes);
            out.box("mdat", samples.toByteArray());
        }
    }

    private static long defaultSampleSize(byte[] data, Box tfhd, int flags) {
        if ((flags & TFHD_DEFAULT_SIZE) == 0) return -1;
        int at = tfhd.offset() + 16;
        if ((flags & TFHD_SAMPLE_DESCRIPTION) != 0) at += 4;
        if ((flags & TFHD_DEFAULT_DURATION) != 0) at += 4;
        return u32(data, at);
    }

    /** The bytes a trun's samples take in the mdat. */
    private static long runLength(byte[] data, Box trun, int flags, long defaultSize) {
        long count = u32(data, trun.offset() + 12);
        int at = trun.offset() + 20 + ((flags & TRUN_FIRST_SAMPLE_FLAGS) != 0 ? 4 : 0);
        if ((flags & TRUN_SIZE) == 0) {
            if (defaultSize < 0) throw new IllegalArgumentException("trun without sample sizes and no default in tfhd");
            return count * defaultSize;
        }
        int entry = 4 * Integer.bitCount(flags & (TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | TRUN_CTO));
        int sizeAt = (flags & TRUN_DURATION) != 0 ? 4 : 0;
        if (at + count * entry > trun.offset() + trun.size()) throw new IllegalArgumentException("trun entries past its end");
        long total = 0;
        for (long s = 0; s < count; s++) total += u32(data, (int) (at + s * entry + sizeAt));
        return total;
    }

    private static long decodeTime(byte[] data, Box tfdt) {
        int version = data[tfdt.offset() + 8] & 0xff;
        return version == 1 ? (u32(data, tfdt.offset() + 12) << 32) | u32(data, tfdt.offset() + 16) : u32(data, tfdt.offset() + 12);
    }

    /** The boxes inside a container box (moov, trak, mdia, mvex, moof, traf). */
    private static List<Box> children(byte[] data, Box parent) {
        byte[] body = Arrays.copyOfRange(data, parent.offset() + 8, parent.offset() + parent.size());
        return Mp4Boxes.topLevel(body).stream().map(b -> new Box(b.type(), b.offset() + parent.offset() + 8, b.size())).toList();
    }

    private static Box find(List<Box> boxes, String type) {
        for (Box b : boxes) if (b.type().equals(type)) return b;
        return null;
    }

    private static Box require(List<Box> boxes, String type) {
        Box b = find(boxes, type);
        if (b == null) throw new IllegalArgumentException("no " + type + " box");
        return b;
    }

    private static int flags(byte[] d, Box fullBox) {
        return (int) (u32(d, fullBox.offset() + 8) & 0xffffff);
    }

    private static long u32(byte[] d, int at) {
        return ((d[at] & 0xFFL) << 24) | ((d[at + 1] & 0xFFL) << 16) | ((d[at + 2] & 0xFFL) << 8) | (d[at + 3] & 0xFFL);
    }

    private static int s32(byte[] d, int at) {
        return (int) u32(d, at);
    }

    private static void putS32(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 24);
        d[at + 1] = (byte) (v >>> 16);
        d[at + 2] = (byte) (v >>> 8);
        d[at + 3] = (byte) v;
    }

    /** A growing run of boxes. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void copy(byte[] data, Box b) {
            bytes.write(data, b.offset(), b.size());
        }

        void raw(byte[] b) {
            bytes.writeBytes(b);
        }

        void box(String type, byte[] body) {
            byte[] header = new byte[8];
            putS32(header, 0, Math.addExact(8, body.length));
            System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, header, 4, 4);
            bytes.writeBytes(header);
            bytes.writeBytes(body);
        }

        void tfdt(long decodeTime) {
            if (decodeTime < 0) throw new IllegalArgumentException("negative decode time " + decodeTime);
            byte[] body = new byte[12];
            body[0] = 1; // version 1: a 64-bit baseMediaDecodeTime
            putS32(body, 4, (int) (decodeTime >>> 32));
            putS32(body, 8, (int) decodeTime);
            box("tfdt", body);
        }

        /** What was written, as the body of one box of {@code type}. */
        byte[] boxBytes(String type) {
            Out wrapped = new Out();
            wrapped.box(type, bytes());
            return wrapped.bytes();
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private Fmp4Tracks() {}
}
