package io.livestream.jobs.media;

import static io.livestream.jobs.media.FFmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

/**
 * FFmpeg's mpegts muxer writing one segment into memory (a dynamic AVIO buffer). A fresh muxer per segment puts
 * PAT/PMT (and, through the muxer's automatic h264_mp4toannexb, SPS/PPS) at the start of every segment.
 * Input timestamps are ms; AVCC video is converted to Annex-B and raw AAC gets ADTS headers by the muxer itself.
 *
 * <p>LL-HLS parts are cut from the same output: {@link #takeWritten()} flushes the muxer's buffered PES packets and
 * returns the bytes written since the previous call, so the parts of a segment concatenate to exactly its bytes. The
 * muxer re-emits PAT/PMT after each cut, so every part starts with them (players that demux parts on their own, as
 * Shaka and video.js do, need them).
 *
 * <p>The muxer refuses (EINVAL) a DTS that does not rise per stream or a PTS before the DTS. Input timestamps are
 * repaired before they get here ({@link TimestampRepair}); what an encoder still hands over out of order is raised
 * to the previous DTS + 1 tick and counted ({@link #guardedPackets()}) rather than failing the session.
 */
final class TsSegmentMuxer implements AutoCloseable {
    private static final AVRational MILLIS = av_make_q(1, 1000);

    private AVFormatContext format;
    private AVIOContext io;
    private AVPacket scratch;
    private final boolean hasAudio;
    private int taken;
    private final MuxerTimestampGuard guard = new MuxerTimestampGuard(2);

    /** @param audio AAC config, or null for a video-only segment */
    TsSegmentMuxer(AVCodecParameters video, AacConfig audio) {
        this.hasAudio = audio != null;
        format = new AVFormatContext(null);
        check(avformat_alloc_output_context2(format, null, "mpegts", null), "allocate mpegts muxer");
        scratch = av_packet_alloc();
        AVDictionary options = new AVDictionary(null);
        try {
            AVStream videoStream = avformat_new_stream(format, null);
            check(avcodec_parameters_copy(videoStream.codecpar(), video), "copy video parameters");
            videoStream.codecpar().codec_tag(0);
            videoStream.time_base(MILLIS);
            if (audio != null) {
                AVStream audioStream = avformat_new_stream(format, null);
                AVCodecParameters a = audioStream.codecpar();
                a.codec_type(AVMEDIA_TYPE_AUDIO).codec_id(AV_CODEC_ID_AAC).sample_rate(audio.sampleRate());
                av_channel_layout_default(a.ch_layout(), audio.channels());
                byte[] asc = audio.audioSpecificConfig();
                a.extradata(FFmpegCalls.paddedCopy(asc)).extradata_size(asc.length);
                audioStream.time_base(MILLIS);
            }
            AVIOContext pb = new AVIOContext(null);
            check(avio_open_dyn_buf(pb), "open memory output");
            io = pb;
            format.pb(io);
            av_dict_set(options, "mpegts_flags", "+initial_discontinuity", 0);
            check(avformat_write_header(format, options), "write mpegts header");
        } catch (RuntimeException e) {
            av_dict_free(options);
            close();
            throw e;
        }
        av_dict_free(options);
    }

    boolean hasAudio() {
        return hasAudio;
    }

    void writeVideo(AVPacket packet) {
        write(packet, 0);
    }

    /** Writes an AAC frame; ignored when this segment was opened without audio. */
    void writeAudio(AVPacket packet) {
        if (hasAudio) write(packet, 1);
    }

    /** The packet is referenced, not consumed: the same packet can go to several muxers. */
    private void write(AVPacket packet, int streamIndex) {
        check(av_packet_ref(scratch, packet), "reference packet");
        try {
            scratch.stream_index(streamIndex);
            av_packet_rescale_ts(scratch, MILLIS, format.streams(streamIndex).time_base());
            guard.guard(scratch, streamIndex);
            check(av_write_frame(format, scratch), "mux packet");
        } finally {
            av_packet_unref(scratch);
        }
    }

    /** Packets whose timestamps this muxer had to raise (0 when the input repair did its job). */
    int guardedPackets() {
        return guard.raisedPackets();
    }

    /**
     * Flushes what the muxer buffers (audio PES waiting to fill up) and returns the bytes written since the last
     * call. Called between frames, so a part ends on a PES (and TS packet) boundary.
     */
    byte[] takeWritten() {
        check(av_write_frame(format, null), "flush mpegts muxer");
        BytePointer buffer = new BytePointer((BytePointer) null);
        int size = avio_get_dyn_buf(io, buffer); // the buffer stays owned by the AVIO context
        byte[] bytes = new byte[Math.max(size - taken, 0)];
        if (bytes.length > 0) buffer.capacity(size).position(taken).get(bytes);
        taken = Math.max(size, taken);
        // every part starts with PAT/PMT, so a player can start decoding at any part (a one-shot flag in the muxer)
        check(av_opt_set(format.priv_data(), "mpegts_flags", "+resend_headers", 0), "ask for PAT/PMT");
        return bytes;
    }

    /** Bytes already handed out by {@link #takeWritten()}: the segment from {@link #finish()} starts with them. */
    int taken() {
        return taken;
    }

    /** Writes the trailer and returns the segment's bytes; the muxer is closed after. */
    byte[] finish() {
        try {
            check(av_write_trailer(format), "write mpegts trailer");
            return closeBuffer();
        } finally {
            close();
        }
    }

    private byte[] closeBuffer() {
        byte[] bytes = FFmpegCalls.closeDynamicBuffer(io);
        io = null;
        format.pb(null);
        return bytes;
    }

    @Override
    public void close() {
        if (io != null) closeBuffer();
        if (format != null && !format.isNull()) avformat_free_context(format);
        if (scratch != null) av_packet_free(scratch);
        format = null;
        scratch = null;
    }
}
