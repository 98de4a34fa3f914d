package io.livestream.jobs.media;

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
        byte[] payload = muxer.finish();
        muxer = null;
        if (partTargetMs > 0 && payload.length > taken) {
            byte[] tail = Arrays.copyOfRange(payload, taken, payload.length);
            parts.add(new Part(rung.name(), index, partIndex, partStartMs, Math.max(0, endPtsMs - partStartMs) / 1000.0, partIndex == 0, tail));
        }
        double duration = Math.max(0, endPtsMs - startPtsMs) / 1000.0;
        if (duration >= MIN_MEASURED_SEC) {
            peakBandwidth = Math.max(peakBandwidth, Math.round(payload.length * 8 / duration));
        }
        String codecs = (videoCodecs == null ? "avc1" : videoCodecs) + (segmentAudio != null ? "," + segmentAudio.codecs() : "");
        return new Segment(rung.name(), index, startPtsMs, duration, payload, codecs, width, height, frameRate, peakBandwidth);
    }

    void writeVideo(AVPacket packet) {
        if (muxer == null) return;
        if (partTargetMs > 0) cutPartBefore(packet);
        muxer.writeVideo(packet);
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
            parts.add(new Part(rung.name(), index, partIndex, partStartMs, (at - partStartMs) / 1000.0, partIndex == 0, bytes));
            partIndex++;
            partStartMs = at;
        }
        partHasVideo = true;
    }

    void writeAudio(AVPacket packet) {
        if (muxer != null) muxer.writeAudio(packet);
    }

    @Override
    public void close() {
        if (muxer != null) muxer.close();
        if (videoParameters != null) avcodec_parameters_free(videoParameters);
        muxer = null;
        videoParameters = null;
    }
}
