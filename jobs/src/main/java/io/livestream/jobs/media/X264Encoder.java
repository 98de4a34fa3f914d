package io.livestream.jobs.media;

import static io.livestream.jobs.media.FFmpegCalls.EAGAIN;
import static io.livestream.jobs.media.FFmpegCalls.FRAME_FLAG_KEY;
import static io.livestream.jobs.media.FFmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Encodes one rung's pictures (already at its size: {@link FrameScaler}) with libx264 for live: zerolatency (no lookahead, no B-frames,
 * one packet out per frame in), VBV capped at the rung bitrate, no scenecut and closed GOPs so IDRs come only where
 * the caller forces them (at every source keyframe). Output is Annex-B with SPS/PPS repeated at each IDR.
 */
final class X264Encoder implements AutoCloseable {
    private final int width;
    private final int height;
    private AVCodecContext context;
    private AVPacket packet;

    X264Encoder(int width, int height, double frameRate, int bitrateKbps, String preset, int threads) {
        this.width = width;
        this.height = height;
        AVCodec codec = avcodec_find_encoder_by_name("libx264");
        if (codec == null) throw new MediaException("no libx264 in this FFmpeg build (the -gpl build has it)");
        context = avcodec_alloc_context3(codec);
        packet = av_packet_alloc();
        AVDictionary options = new AVDictionary(null);
        try {
            int fps = (int) Math.round(frameRate);
            long bitrate = bitrateKbps * 1000L;
            context.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
            context.time_base(av_make_q(1, 1000));
            context.framerate(av_make_q(fps, 1));
            context.bit_rate(bitrate).rc_max_rate(bitrate).rc_buffer_size((int) bitrate);
            context.gop_size(fps * 10); // only a safety net: IDRs are forced at source keyframes
            context.max_b_frames(0);
            context.thread_count(threads);
            av_dict_set(options, "preset", preset, 0);
            av_dict_set(options, "tune", "zerolatency", 0);
            av_dict_set(options, "forced-idr", "1", 0);
            av_dict_set(options, "x264-params", "scenecut=0:open-gop=0", 0);
            check(avcodec_open2(context, codec, options), "open libx264 " + width + "x" + height);
        } catch (RuntimeException e) {
            av_dict_free(options);
            close();
            throw e;
        }
        av_dict_free(options);
    }

    /** Codec parameters of the output, for the muxer. The caller frees them. */
    AVCodecParameters parameters() {
        AVCodecParameters p = avcodec_parameters_alloc();
        check(avcodec_parameters_from_context(p, context), "encoder parameters");
        return p;
    }

    /**
     * Encodes one yuv420p picture of this encoder's size (pts in ms); {@code idr} forces an IDR. Packets go to
     * {@code out}. Sets the picture's type and key flag; libx264 copies the picture in, so the caller may free it after.
     */
    void encode(AVFrame picture, boolean idr, Consumer<AVPacket> out) {
        if (picture.width() != width || picture.height() != height || picture.format() != AV_PIX_FMT_YUV420P) {
            throw new MediaException("libx264 " + width + "x" + height + " was given a " + picture.width() + "x" + picture.height()
                    + " picture of format " + picture.format());
        }
        picture.pict_type(idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        picture.flags(idr ? picture.flags() | FRAME_FLAG_KEY : picture.flags() & ~FRAME_FLAG_KEY);
        check(avcodec_send_frame(context, picture), "send frame to libx264");
        drain(out);
    }

    /** Drains what the encoder still holds; nothing may be encoded after. */
    void flush(Consumer<AVPacket> out) {
        avcodec_send_frame(context, null);
        drain(out);
    }

    private void drain(Consumer<AVPacket> out) {
        while (true) {
            int ret = avcodec_receive_packet(context, packet);
            if (ret == EAGAIN || ret == AVERROR_EOF) return;
            check(ret, "receive libx264 packet");
            try {
                out.accept(packet);
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    @Override
    public void close() {
        if (packet != null) av_packet_free(packet);
        if (context != null) avcodec_free_context(context);
        packet = null;
        context = null;
    }
}
