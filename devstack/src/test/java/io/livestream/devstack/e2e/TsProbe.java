package io.livestream.devstack.e2e;

/**
 * Reads just enough of an MPEG-TS segment to judge alignment: the video PID from PAT/PMT, the PTS of the first video
 * PES, and whether that first access unit holds an IDR slice (H.264 NAL type 5).
 */
final class TsProbe {
    /** @param tablesFirst PAT and PMT come before any media packet (ffmpeg puts its SDT first, which players ignore) */
    record FirstVideo(long pts90k, boolean idr, boolean tablesFirst) {}

    static FirstVideo firstVideo(byte[] ts) {
        if (ts.length < 188 || ts[0] != 0x47) throw new IllegalArgumentException("not MPEG-TS");
        int pmtPid = -1;
        int videoPid = -1;
        boolean tablesFirst = false;
        boolean mediaSeen = false;
        java.io.ByteArrayOutputStream firstPes = null;
        for (int off = 0; off + 188 <= ts.length; off += 188) {
            if (ts[off] != 0x47) throw new IllegalArgumentException("lost sync at " + off);
            int pid = pid(ts, off);
            boolean unitStart = (ts[off + 1] & 0x40) != 0;
            int payload = payloadStart(ts, off);
            if (payload < 0) continue;
            if (pid == 0 && unitStart && pmtPid < 0) {
                int section = payload + 1 + (ts[payload] & 0xFF);
                pmtPid = ((ts[section + 10] & 0x1F) << 8) | (ts[section + 11] & 0xFF);
            } else if (pid == pmtPid && unitStart && videoPid < 0) {
                int section = payload + 1 + (ts[payload] & 0xFF);
                int sectionLength = ((ts[section + 1] & 0x0F) << 8) | (ts[section + 2] & 0xFF);
                int programInfoLength = ((ts[section + 10] & 0x0F) << 8) | (ts[section + 11] & 0xFF);
                int p = section + 12 + programInfoLength;
                int end = section + 3 + sectionLength - 4;
                while (p + 5 <= end) {
                    int streamType = ts[p] & 0xFF;
                    int esPid = ((ts[p + 1] & 0x1F) << 8) | (ts[p + 2] & 0xFF);
                    int esInfo = ((ts[p + 3] & 0x0F) << 8) | (ts[p + 4] & 0xFF);
                    if (streamType == 0x1B) videoPid = esPid;
                    p += 5 + esInfo;
                }
            } else if (pid != 0x11 && pid != pmtPid && pid != 0) {
                if (!mediaSeen) tablesFirst = videoPid >= 0;
                mediaSeen = true;
            }
            if (pid == videoPid && videoPid >= 0) {
                if (unitStart) {
                    if (firstPes != null) break; // the first PES is complete
                    firstPes = new java.io.ByteArrayOutputStream();
                }
                if (firstPes != null) firstPes.write(ts, payload, off + 188 - payload);
            }
        }
        if (firstPes == null) throw new IllegalArgumentException("no video PES");
        byte[] pes = firstPes.toByteArray();
        if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1) throw new IllegalArgumentException("bad PES start");
        if ((pes[7] & 0x80) == 0) throw new IllegalArgumentException("first video PES has no PTS");
        long pts = ((long) (pes[9] & 0x0E) << 29) | ((pes[10] & 0xFF) << 22) | ((pes[11] & 0xFE) << 14)
                | ((pes[12] & 0xFF) << 7) | ((pes[13] & 0xFE) >> 1);
        int es = 9 + (pes[8] & 0xFF);
        boolean idr = false;
        for (int i = es; i + 3 < pes.length; i++) {
            if (pes[i] == 0 && pes[i + 1] == 0 && pes[i + 2] == 1 && (pes[i + 3] & 0x1F) == 5) {
                idr = true;
                break;
            }
        }
        return new FirstVideo(pts, idr, tablesFirst);
    }

    private static int pid(byte[] ts, int off) {
        return ((ts[off + 1] & 0x1F) << 8) | (ts[off + 2] & 0xFF);
    }

    /** Offset of the payload in the packet at {@code off}, or -1 when it carries none. */
    private static int payloadStart(byte[] ts, int off) {
        int adaptation = (ts[off + 3] >> 4) & 0x03;
        if (adaptation == 0 || adaptation == 2) return -1;
        int start = off + 4;
        if (adaptation == 3) start += 1 + (ts[off + 4] & 0xFF);
        return start < off + 188 ? start : -1;
    }

    private TsProbe() {}
}
