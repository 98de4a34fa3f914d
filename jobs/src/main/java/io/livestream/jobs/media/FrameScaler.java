package io.livestream.jobs.media;

import static io.livestream.jobs.media.FFmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy_props;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Scales decoded pictures to one rung's size in yuv420p (bilinear, as the ffmpeg program's {@code scale=…:flags=bilinear}).
 * Each call returns a new frame the caller owns, so the encoder may read it on its lane while the next one is scaled.
 * A picture already at the size and format is passed on as a new reference, not copied.
 */
final class FrameScaler implements AutoCloseable {
    private final int width;
    private final int height;
    private SwsContext context;

    FrameScaler(int width, int height) {
        this.width = width;
        this.height = height;
    }

    int height() {
        return height;
    }

    /** {@code source} at this scaler's size, with its timestamps and flags: a frame to {@code av_frame_free}. */
    AVFrame scale(AVFrame source) {
        if (source.width() == width && source.height() == height && source.format() == AV_PIX_FMT_YUV420P) {
            AVFrame reference = av_frame_clone(source);
            if (reference == null) throw new MediaException("out of memory cloning a frame");
            return reference;
        }
        context = sws_getCachedContext(context, source.width(), source.height(), source.format(),
                width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (context == null) throw new MediaException("no scaler for pixel format " + source.format());
        AVFrame scaled = av_frame_alloc();
        if (scaled == null) throw new MediaException("out of memory allocating a frame");
        try {
            scaled.width(width).height(height).format(AV_PIX_FMT_YUV420P);
            check(av_frame_get_buffer(scaled, 0), "allocate scaled frame");
            check(av_frame_copy_props(scaled, source), "copy frame properties");
            sws_scale(context, source.data(), source.linesize(), 0, source.height(), scaled.data(), scaled.linesize());
            return scaled;
        } catch (RuntimeException e) {
            av_frame_free(scaled);
            throw e;
        }
    }

    @Override
    public void close() {
        if (context != null) sws_freeContext(context);
        context = null;
    }
}
