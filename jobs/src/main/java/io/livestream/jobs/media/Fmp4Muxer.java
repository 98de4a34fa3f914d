package io.livestream.jobs.media;

import static io.livestream.jobs.media.FFmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * FFmpeg's mp4 muxer writing CMAF (ISO 23000-19) into memory: the initialisation segment (ftyp + moov, no samples) when
 * opened, then one fragment (moof + mdat, video and audio) per {@link #takeFragment()}. One muxer lives for a whole
 * encoder session of a rendition, so fragment sequence numbers and decode times (tfdt) run on across segments; an
 * LL-HLS part is one fragment and a segment is its parts' fragments, byte for byte.
 *
 * <p>Input timestamps are ms. Annex-B video (libx264's output, SPS/PPS in band) is written length-prefixed by the
 * muxer itself; its avcC comes from the parameters' extradata (Annex-B or avcC). Sample durations come from the next
 * sample, so each packet should carry its duration ({@code duration}); the last sample of a fragment has only that.
 */
final class Fmp4Muxer implements AutoCloseable {
    private static final AVRational MILLIS = av_make_q(1, 1000);
    /** CMAF brand, fragments only at our flushes, no samples in the moov, tfhd offsets from the moof. */
    static final String MOVFLAGS = "cmaf+frag_custom+empty_moov+default_base_moof+skip_trailer";

    private AVFormatContext format;
    private AVIOContext io;
    private AVPacket scratch;
    private final AacConfig audio;
    private final byte[] init;
    private final MuxerTimestampGuard guard = new MuxerTimestampGuard(2);
    private long frameDurationMs = 33;

    /**
     * @param video H.264 parameters with extradata (SPS/PPS); copied, not taken
     * @param audio AAC config, or null for video only
     */
    Fmp4Muxer(AVCodecParameters video, AacConfig audio) {
        this.audio = audio;
        format = new AVFormatContext(null);
        check(avformat_alloc_output_context2(format, null, "mp4", null), "allocate mp4 muxer");
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
                a.codec_type(AVMEDIA_TYPE_AUDIO).codec_id(AV_CODEC_ID_AAC).sample_rate(audio.sampleRate()).frame_size(1024);
                av_channel_layout_default(a.ch_layout(), audio.channels());
                byte[] asc = audio.audioSpecificConfig();
                a.extradata(FFmpegCalls.paddedCopy(asc)).extradata_size(asc.length);
                audioStream.time_base(av_make_q(1, audio.sampleRate()));
            }
            openBuffer();
            av_dict_set(options, "movflags", MOVFLAGS, 0);
            check(avformat_write_header(format, options), "write mp4 header");
            init = takeBuffer();
        } catch (RuntimeException e) {
            av_dict_free(options);
            close();
            throw e;
        }
        av_dict_free(options);
    }

    /** The initialisation segment (EXT-X-MAP): what every fragment of this muxer decodes after. */
    byte[] initSegment() {
        return init.clone();
    }

    /** Whether this muxer was opened for {@code other}'s audio (a changed AAC config needs a new init segment). */
    boolean sameAudio(AacConfig other) {
        if (audio == null || other == null) return audio == other;
        return Arrays.equals(audio.audioSpecificConfig(), other.audioSpecificConfig());
    }

    /** The duration given to video packets that carry none (the last sample of a fragment has nothing else). */
    void frameDurationMs(long ms) {
        if (ms > 0) frameDurationMs = ms;
    }

    void writeVideo(AVPacket packet) {
        write(packet, 0);
    }

    /** Writes an AAC frame; ignored when opened without audio. */
    void writeAudio(AVPacket packet) {
        if (audio != null) write(packet, 1);
    }

    /** The packet is referenced, not consumed: the same packet goes to the MPEG-TS muxer as well. */
    private void write(AVPacket packet, int streamIndex) {
        check(av_packet_ref(scratch, packet), "reference packet");
        try {
            scratch.stream_index(streamIndex);
            if (streamIndex == 0 && scratch.duration() <= 0) scratch.duration(frameDurationMs);
            av_packet_rescale_ts(scratch, MILLIS, format.streams(streamIndex).time_base());
            if (streamIndex == 1) scratch.duration(1024); // AAC frames are 1024 samples; ms would round
            guard.guard(scratch, streamIndex);
            check(av_write_frame(format, scratch), "mux mp4 packet");
        } finally {
            av_packet_unref(scratch);
        }
    }

    /** Packets whose timestamps the guard raised. */
    int guardedPackets() {
        return guard.raisedPackets();
    }

    /** Ends the current fragment and returns it (moof + mdat), or an empty array when no sample was written since. */
    byte[] takeFragment() {
        check(av_write_frame(format, null), "flush mp4 fragment");
        return takeBuffer();
    }

    private void openBuffer() {
        AVIOContext pb = new AVIOContext(null);
        check(avio_open_dyn_buf(pb), "open memory output");
        io = pb;
        format.pb(io);
    }

    /** Returns what was written since the last call and starts a new buffer, so memory does not grow with the session. */
    private byte[] takeBuffer() {
        byte[] bytes = closeBuffer();
        openBuffer();
        return bytes;
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
