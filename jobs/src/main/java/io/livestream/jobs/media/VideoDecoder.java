package io.livestream.jobs.media;

import static io.livestream.jobs.media.FFmpegCalls.EAGAIN;
import static io.livestream.jobs.media.FFmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * FFmpeg's decoder of one {@link VideoCodec}, fed the packets as (Enhanced) RTMP carries them, with the sequence
 * header's configuration record as extradata (see the codec for the packet format). Single-threaded so a frame leaves
 * as soon as its packet went in (no frame-thread delay). Timestamps in ms.
 */
final class VideoDecoder implements AutoCloseable {
    private final VideoCodec codec;
    private AVCodecContext context;
    private AVFrame frame;

    VideoDecoder(VideoCodec codec, byte[] configurationRecord) {
        this.codec = codec;
        AVCodec decoder = codec.decoderName() != null ? avcodec_find_decoder_by_name(codec.decoderName()) : avcodec_find_decoder(codec.ffmpegId());
        if (decoder == null) throw new MediaException("no " + codec + " decoder in this FFmpeg build");
        context = avcodec_alloc_context3(decoder);
        frame = av_frame_alloc();
        if (configurationRecord.length > 0) {
            context.extradata(FFmpegCalls.paddedCopy(configurationRecord));
            context.extradata_size(configurationRecord.length);
        }
        context.pkt_timebase(av_make_q(1, 1000));
        context.thread_count(1);
        try {
            check(avcodec_open2(context, decoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "open " + codec + " decoder");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Decodes one packet; each frame that comes out is handed to {@code frames} and reused after it returns. */
    void decode(AVPacket packet, Consumer<AVFrame> frames) {
        int ret = avcodec_send_packet(context, packet);
        if (ret < 0 && ret != EAGAIN) {
            return; // a corrupt packet: the decoder conceals it and recovers at the next keyframe
        }
        drain(frames);
    }

    /** Sends end-of-stream and returns the frames still held back. The decoder is finished after this. */
    void flush(Consumer<AVFrame> frames) {
        avcodec_send_packet(context, null);
        drain(frames);
    }

    /** Frame rate from the stream's timing info (valid once a frame was decoded), or 0 if the stream does not say. */
    double frameRate() {
        var rate = context.framerate();
        return rate.num() > 0 && rate.den() > 0 ? (double) rate.num() / rate.den() : 0;
    }

    private void drain(Consumer<AVFrame> frames) {
        while (true) {
            int ret = avcodec_receive_frame(context, frame);
            if (ret == EAGAIN || ret == AVERROR_EOF) return;
            check(ret, "decode " + codec);
            try {
                frames.accept(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    @Override
    public void close() {
        if (frame != null) av_frame_free(frame);
        if (context != null) avcodec_free_context(context);
        frame = null;
        context = null;
    }
}
