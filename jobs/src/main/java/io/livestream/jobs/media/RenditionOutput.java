package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The segments of one rendition: opens a muxer at each cut, closes the previous one into a {@link Segment}, and
 * keeps the bookkeeping (index, start time, measured peak bandwidth). Owns its muxer and video parameters.
 *
 * <p>Every segment and part is written twice, in the same cut: as MPEG-TS (a fresh muxer per segment, the legacy
 * output) and as CMAF fMP4 (one {@link Fmp4Muxer} for the whole session, one fragment per part; reopened, with a new
 * init segment, only when the AAC configuration changes). Muxing is cheap beside encoding, so both always run.
 *
 * <p>While a segment is written it is also cut into {@link Part}s: before a video frame is muxed, if the part so far
 * plus one more frame would exceed the part target, the bytes written so far leave as a part. A part therefore
 * ends at a frame boundary and lasts at most the target (plus timestamp jitter); the segment's last part is what
 * remains when the segment ends.
 */
final class RenditionOutput implements AutoCloseable {
    /** Segments shorter than this say little about the bitrate (the tail of a stream), so peaks ignore them. */
    private static final double MIN_MEASURED_SEC = 0.5;
    /** Millisecond timestamps jitter by 1 ms (33/34 ms at 30 fps): without slack a GOP would end in a one-frame part. */
    private static final long TIMESTAMP_SLACK_MS = 2;

    private final Rung rung;
    private AVCodecParameters videoParameters;
    private TsSegmentMuxer muxer;
    private Fmp4Muxer fmp4;
    private byte[] fmp4Init;
    /** The fMP4 fragments of the open segment so far: its parts' fMP4 bytes. */
    private final java.io.ByteArrayOutputStream fmp4Segment = new java.io.ByteArrayOutputStream();
    private AacConfig segmentAudio;
    private int width;
    private int height;
    private double frameRate;
    private String videoCodecs;
    private int index = -1;
    private long startPtsMs;
    private long peakBandwidth;
    private final long partTargetMs;
    private final List<Part> parts = new ArrayList<>();
    private int partIndex;
    private long partStartMs;
    private boolean partHasVideo;
    private long dtsOffsetMs;
    private boolean dtsOffsetKnown;
    private long lastVideoMs = Long.MIN_VALUE;
    private long frameIntervalMs;
    /** Written only by the thread driving this rendition, read by others for the session's counters. */
    private volatile long guardedPackets;

    /** Takes ownership of {@code videoParameters}; {@code partTargetMs} 0 cuts no parts. */
    RenditionOutput(Rung rung, AVCodecParameters videoParameters, int width, int height, double frameRate, String videoCodecs,
                    long partTargetMs) {
        this.rung = rung;
        this.partTargetMs = partTargetMs;
        this.videoParameters = videoParameters;
        this.width = width;
        this.height = height;
        this.frameRate = frameRate;
        this.videoCodecs = videoCodecs;
        this.peakBandwidth = rung.bitrateKbps() * 1000L;
    }

    String name() {
        return rung.name();
    }

    boolean isOpen() {
        return muxer != null;
    }

    boolean knowsCodecs() {
        return videoCodecs != null;
    }

    void describe(int width, int height, double frameRate) {
        this.width = width;
        this.height = height;
        this.frameRate = frameRate;
    }

    void codecs(String videoCodecs) {
        this.videoCodecs = videoCodecs;
    }

    /** Ends the open segment at {@code ptsMs} (returned, or null if none was open) and starts the next one there. */
    Segment cutAt(long ptsMs, AacConfig audio) {
        Segment finished = finishAt(ptsMs);
        if (fmp4 != null && !fmp4.sameAudio(audio)) {
            fmp4.close(); // a new AAC config needs a new init segment: opened at the next video packet
            fmp4 = null;
        }
        muxer = new TsSegmentMuxer(videoParameters, audio);
        segmentAudio = audio;
        startPtsMs = ptsMs;
        index++;
        partIndex = 0;
        partStartMs = ptsMs;
        partHasVideo = false;
        dtsOffsetKnown = false;
        return finished;
    }

    /** Ends the open segment at {@code endPtsMs}; returns it, or null if none was open. */
    Segment finishAt(long endPtsMs) {
        if (muxer == null) return null;
        int taken = muxer.taken();
        guardedPackets += muxer.guardedPackets();
        byte[] payload = muxer.finish();
        muxer = null;
        byte[] fmp4Tail = takeFragment();
        if (partTargetMs > 0 && payload.length > taken) {
            byte[] tail = Arrays.copyOfRange(payload, taken, payload.length);
            parts.add(new Part(rung.name(), index, partIndex, partStartMs, Math.max(0, endPtsMs - partStartMs) / 1000.0, partIndex == 0, tail,
                    fmp4Tail, fmp4Init));
        }
        byte[] fmp4Payload = fmp4Segment.toByteArray();
        fmp4Segment.reset();
        double duration = Math.max(0, endPtsMs - startPtsMs) / 1000.0;
        if (duration >= MIN_MEASURED_SEC) {
            peakBandwidth = Math.max(peakBandwidth, Math.round(payload.length * 8 / duration));
        }
        String codecs = (videoCodecs == null ? "avc1" : videoCodecs) + (segmentAudio != null ? "," + segmentAudio.codecs() : "");
        return new Segment(rung.name(), index, startPtsMs, duration, payload, codecs, width, height, frameRate, peakBandwidth,
                fmp4Payload, fmp4Init);
    }

    void writeVideo(AVPacket packet) {
        if (muxer == null) return;
        if (partTargetMs > 0) cutPartBefore(packet);
        muxer.writeVideo(packet);
        if (fmp4 == null) openFmp4(packet);
        if (frameIntervalMs > 0) fmp4.frameDurationMs(frameIntervalMs);
        else if (frameRate > 0) fmp4.frameDurationMs(Math.round(1000 / frameRate));
        fmp4.writeVideo(packet);
    }

    /**
     * Opens the session's fMP4 muxer at its first video packet (a keyframe): the avcC comes from the parameters'
     * extradata, or, for libx264's output that carries SPS/PPS in band only, from that keyframe.
     */
    private void openFmp4(AVPacket keyframe) {
        AVCodecParameters p = avcodec_parameters_alloc();
        try {
            FFmpegCalls.check(avcodec_parameters_copy(p, videoParameters), "copy video parameters");
            if (p.extradata_size() <= 0) {
                byte[] bytes = new byte[keyframe.size()];
                keyframe.data().capacity(keyframe.size()).get(bytes);
                byte[] sets = AvcCodecs.parameterSetsOf(bytes);
                if (sets.length == 0) throw new MediaException("first video packet of " + rung.name() + " has no SPS/PPS");
                p.extradata(FFmpegCalls.paddedCopy(sets)).extradata_size(sets.length);
            }
            if (p.width() <= 0 || p.height() <= 0) { // the source's parameters: known before its first frame is decoded
                byte[] extradata = new byte[p.extradata_size()];
                p.extradata().capacity(extradata.length).get(extradata);
                AvcPictureSize size = AvcPictureSize.fromExtradata(extradata);
                p.width(size.width()).height(size.height());
            }
            fmp4 = new Fmp4Muxer(p, segmentAudio);
            fmp4Init = fmp4.initSegment();
        } finally {
            avcodec_parameters_free(p);
        }
    }

    /** The fMP4 fragment since the last cut (empty before the muxer opened), added to the open segment's bytes. */
    private byte[] takeFragment() {
        if (fmp4 == null) return new byte[0];
        byte[] fragment = fmp4.takeFragment();
        fmp4Segment.writeBytes(fragment);
        return fragment;
    }

    /** Packets of finished segments whose timestamps the muxer guard raised (see {@link TsSegmentMuxer}). */
    long guardedPackets() {
        return guardedPackets;
    }

    /** Parts completed since the last call, in order. */
    List<Part> takeParts() {
        if (parts.isEmpty()) return List.of();
        List<Part> taken = List.copyOf(parts);
        parts.clear();
        return taken;
    }

    /**
     * Decode order is the muxing order, so parts are cut on the decode timeline, shifted so that the segment's
     * first frame sits at the segment's start PTS (sources with B-frames decode ahead of presentation).
     */
    private void cutPartBefore(AVPacket packet) {
        long dts = packet.dts() != avutil.AV_NOPTS_VALUE ? packet.dts() : packet.pts();
        if (!dtsOffsetKnown) {
            dtsOffsetMs = startPtsMs - dts;
            dtsOffsetKnown = true;
        }
        long at = Math.max(dts + dtsOffsetMs, partStartMs);
        if (lastVideoMs != Long.MIN_VALUE && at > lastVideoMs) frameIntervalMs = at - lastVideoMs;
        lastVideoMs = at;
        if (partHasVideo && at - partStartMs + frameIntervalMs > partTargetMs + TIMESTAMP_SLACK_MS) {
            byte[] bytes = muxer.takeWritten();
            parts.add(new Part(rung.name(), index, partIndex, partStartMs, (at - partStartMs) / 1000.0, partIndex == 0, bytes,
                    takeFragment(), fmp4Init));
            partIndex++;
            partStartMs = at;
        }
        partHasVideo = true;
    }

    void writeAudio(AVPacket packet) {
        if (muxer != null) muxer.writeAudio(packet);
        if (muxer != null && fmp4 != null) fmp4.writeAudio(packet); // audio before the session's first video packet has no fMP4 yet
    }

    @Override
    public void close() {
        if (muxer != null) muxer.close();
        if (fmp4 != null) fmp4.close();
        fmp4 = null;
        if (videoParameters != null) avcodec_parameters_free(videoParameters);
        muxer = null;
        videoParameters = null;
    }
}
