package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * The muxers' last guard: FFmpeg's muxers refuse (EINVAL) a DTS that does not rise per stream or a PTS before the DTS.
 * Input timestamps are repaired before they get here ({@link TimestampRepair}); what an encoder still hands over out
 * of order is raised to the previous DTS + 1 tick and counted rather than failing the session. Shared by the
 * MPEG-TS and the fMP4 muxer so both containers carry the same timestamps.
 */
final class MuxerTimestampGuard {
    private final long[] lastDts;
    private int raised;

    MuxerTimestampGuard(int streams) {
        lastDts = new long[streams];
        java.util.Arrays.fill(lastDts, Long.MIN_VALUE);
    }

    /** Keeps DTS strictly rising on {@code streamIndex} and PTS at or after DTS, in the packet's own time base. */
    void guard(AVPacket p, int streamIndex) {
        long dts = p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts();
        if (dts == AV_NOPTS_VALUE) return; // the muxer derives it
        boolean repaired = false;
        if (lastDts[streamIndex] != Long.MIN_VALUE && dts <= lastDts[streamIndex]) {
            dts = lastDts[streamIndex] + 1;
            repaired = true;
        }
        if (p.pts() != AV_NOPTS_VALUE && p.pts() < dts) {
            p.pts(dts);
            repaired = true;
        }
        p.dts(dts);
        lastDts[streamIndex] = dts;
        if (repaired) raised++;
    }

    /** Packets whose timestamps were raised (0 when the input repair did its job). */
    int raisedPackets() {
        return raised;
    }
}
