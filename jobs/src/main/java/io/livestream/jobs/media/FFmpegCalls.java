package io.livestream.jobs.media;

import static org.bytedeco.ffmpeg.global.avformat.avio_close_dyn_buf;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;

/** Small helpers around FFmpeg's C conventions: negative return codes, padded extradata. */
final class FFmpegCalls {
    /** AVERROR(EAGAIN) on Linux: the codec needs input (or output drained) first. */
    static final int EAGAIN = -11;
    /** AV_FRAME_FLAG_KEY, a C macro JavaCPP does not map. */
    static final int FRAME_FLAG_KEY = 1 << 1;

    static int check(int ret, String what) {
        if (ret < 0) throw new MediaException(what + " failed: " + describe(ret));
        return ret;
    }

    static String describe(int ret) {
        byte[] buf = new byte[256];
        av_strerror(ret, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) len++;
        return new String(buf, 0, len) + " (" + ret + ")";
    }

    /** Copies bytes into av_mallocz'd memory with the padding FFmpeg's readers require; the codec context owns it after. */
    static BytePointer paddedCopy(byte[] bytes) {
        BytePointer p = new BytePointer(av_mallocz(bytes.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
        p.capacity(bytes.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE);
        p.put(bytes, 0, bytes.length);
        return p;
    }

    private FFmpegCalls() {}

    /** Closes a dynamic AVIO buffer (avio_open_dyn_buf) and returns what was written to it. */
    static byte[] closeDynamicBuffer(AVIOContext io) {
        BytePointer buffer = new BytePointer((BytePointer) null);
        int size = avio_close_dyn_buf(io, buffer);
        try {
            byte[] bytes = new byte[Math.max(size, 0)];
            if (size > 0) buffer.capacity(size).get(bytes);
            return bytes;
        } finally {
            av_free(buffer);
        }
    }
}
