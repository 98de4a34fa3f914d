package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * The segments of one rendition: opens a muxer at each cut, closes the previous one into a {@link Segment}, and
 * keeps the bookkeeping (index, start time, measured peak bandwidth). Owns its muxer and video parameters.
 */
final class RenditionOutput implements AutoCloseable {
    /** Segments shorter than this say little about the bitrate (the tail of a stream), so peaks ignore them. */
    private static final double MIN_MEASURED_SEC = 0.5;

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

    /** Takes ownership of {@code videoParameters}. */
    RenditionOutput(Rung rung, AVCodecParameters videoParameters, int width, int height, double frameRate, String videoCodecs) {
        this.rung = rung;
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
        return finished;
    }

    /** Ends the open segment at {@code endPtsMs}; returns it, or null if none was open. */
    Segment finishAt(long endPtsMs) {
        if (muxer == null) return null;
        byte[] payload = muxer.finish();
        muxer = null;
        double duration = Math.max(0, endPtsMs - startPtsMs) / 1000.0;
        if (duration >= MIN_MEASURED_SEC) {
            peakBandwidth = Math.max(peakBandwidth, Math.round(payload.length * 8 / duration));
        }
        String codecs = (videoCodecs == null ? "avc1" : videoCodecs) + (segmentAudio != null ? "," + segmentAudio.codecs() : "");
        return new Segment(rung.name(), index, startPtsMs, duration, payload, codecs, width, height, frameRate, peakBandwidth);
    }

    void writeVideo(AVPacket packet) {
        if (muxer != null) muxer.writeVideo(packet);
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
