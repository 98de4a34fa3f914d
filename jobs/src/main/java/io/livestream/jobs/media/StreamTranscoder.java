package io.livestream.jobs.media;

import static io.livestream.jobs.media.FFmpegCalls.FRAME_FLAG_KEY;
import static io.livestream.jobs.media.FFmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native transcoding session of one stream: decoder of the source's {@link VideoCodec} (H.264, HEVC or AV1),
 * source passthrough (H.264 only; for the others the source rung is an H.264 encode at the source size) and one
 * scaler + libx264 encoder per rung, each rendition cut into one MPEG-TS segment per source GOP. Frames are encoded
 * as they arrive; a segment leaves when the next source keyframe (or the end) closes it, its LL-HLS parts
 * ({@link #takeParts()}) as soon as each reaches the part target. Pure of Flink; not thread-safe: one caller thread
 * drives it.
 *
 * <p>The caller's thread decodes and scales each frame to every rung (each rung from the next larger one); each encoded
 * rung encodes on an {@link EncodeLane} of its own (one thread per rung, up to a few frames behind the decoder), so the
 * rungs run in parallel with each other and with decoding, as the ffmpeg program's threaded pipeline does. A lane's rendition is only touched by its lane while the session runs; what it completes
 * surfaces at the caller's next call after it.
 *
 * <p>{@link #close()} is the one place that frees every native context of the session.
 */
public final class StreamTranscoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamTranscoder.class);
    private static final long LONG_GOP_MS = 6_000;
    private static final double FALLBACK_FPS = 30;

    static {
        // libx264 and the muxers log stats at INFO per session to stderr; keep only real errors
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private final String streamId;
    private final TranscodeSettings settings;
    private final VideoCodec codec;
    private final byte[] videoConfig;
    private AacConfig audioConfig;
    private final VideoDecoder decoder;
    private final AVPacket packet;
    private RenditionOutput source;
    private final List<EncodedRendition> encoded = new ArrayList<>();
    /** Indexes into {@link #encoded}, tallest rung first: the order each frame is scaled in. */
    private int[] largestFirst = new int[0];
    /** Encode every other frame (a source above the ladder's frame rate): decided at the first frame. */
    private boolean decimate;
    /** Frames since the last source keyframe, for the decimation. */
    private int framesInGop;
    private boolean renditionsReady;
    private String sourceDescription;
    private boolean started;
    private long gopStartPtsMs;
    private long lastVideoPtsMs = Long.MIN_VALUE;
    private long lastFrameIntervalMs;
    private int longGops;
    private boolean warnedAudio;
    private boolean warnedVideo;
    private boolean finished;
    private boolean closed;
    private List<Segment> pending;
    /** The first decoded frame of a stream that does not say its frame rate, until the second one measures it. */
    private AVFrame heldFirstFrame;
    /** Segments and parts the lanes completed, taken in each lane's order (so parts always come with or before their segment). */
    private final List<Segment> joinedSegments = new ArrayList<>();
    private final List<Part> joinedParts = new ArrayList<>();
    /** Publisher timestamps made muxable before anything uses them; counted, logged once at close. */
    private final TimestampRepair timestamps = new TimestampRepair();

    /** An H.264 session: see {@link #StreamTranscoder(String, TranscodeSettings, VideoCodec, byte[], byte[])}. */
    public StreamTranscoder(String streamId, TranscodeSettings settings, byte[] avcDecoderConfigurationRecord, byte[] audioSpecificConfig) {
        this(streamId, settings, VideoCodec.H264, avcDecoderConfigurationRecord, audioSpecificConfig);
    }

    /**
     * @param videoConfigurationRecord the video sequence header of {@code codec} (FLV body from
     *     {@link FlvTagInfo#dataOffset()}): AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord or av1C
     * @param audioSpecificConfig the AAC sequence header, or null if none was seen (yet)
     */
    public StreamTranscoder(String streamId, TranscodeSettings settings, VideoCodec codec, byte[] videoConfigurationRecord,
                            byte[] audioSpecificConfig) {
        this.streamId = streamId;
        this.settings = settings;
        this.codec = codec;
        this.videoConfig = videoConfigurationRecord.clone();
        this.audioConfig = audioSpecificConfig == null ? null : AacConfig.parse(audioSpecificConfig);
        this.decoder = new VideoDecoder(codec, videoConfig);
        this.packet = av_packet_alloc();
    }

    /** Feeds one ingest record; returns the segments it completed (usually none; one per rendition at a keyframe). */
    public List<Segment> accept(IngestRecord record) {
        if (finished) throw new IllegalStateException("transcoder of " + streamId + " already finished");
        pending = new ArrayList<>();
        switch (record.kind()) {
            case VIDEO -> acceptVideo(record);
            case AUDIO -> acceptAudio(record);
            case DATA -> { }
        }
        for (EncodedRendition e : encoded) e.lane.takeCompleted(joinedParts, joinedSegments);
        pending.addAll(joinedSegments);
        joinedSegments.clear();
        return pending;
    }

    /** Flushes the decoder and encoders and closes the last segment of every rendition. Nothing is accepted after. */
    public List<Segment> finish() {
        if (finished) return List.of();
        finished = true;
        pending = new ArrayList<>();
        if (!started) return pending;
        decoder.flush(this::onDecodedFrame);
        releaseHeldFrame(FALLBACK_FPS); // a session of one frame
        awaitLanes();
        pending.addAll(joinedSegments);
        joinedSegments.clear();
        long endPtsMs = lastVideoPtsMs + Math.max(lastFrameIntervalMs, 1);
        for (EncodedRendition e : encoded) {
            e.encoder.flush(p -> e.output.writeVideo(p)); // the lanes are idle: the caller may touch the renditions
        }
        if (source != null) addIfPresent(source.finishAt(endPtsMs));
        for (EncodedRendition e : encoded) {
            addIfPresent(e.output.finishAt(endPtsMs));
            joinedParts.addAll(e.output.takeParts());
        }
        return pending;
    }

    /**
     * The LL-HLS parts completed since the last call, every rendition's in order. A segment's parts are all
     * complete by the time {@link #accept} or {@link #finish} returns that segment, so taking the parts right
     * after each call and sending them first keeps every part ahead of its segment.
     */
    public List<Part> takeParts() {
        List<Part> parts = new ArrayList<>();
        if (source != null) parts.addAll(source.takeParts());
        parts.addAll(joinedParts);
        joinedParts.clear();
        return parts;
    }

    /** Whether a keyframe arrived and segments are being produced. */
    public boolean started() {
        return started;
    }

    /** Names of the renditions being produced (known once the first frame was decoded). */
    public List<String> renditions() {
        List<String> names = new ArrayList<>();
        if (source != null) names.add(source.name());
        encoded.forEach(e -> names.add(e.output.name()));
        return names;
    }

    /** "WxH @ N fps" of the source once its first frame was decoded, else null. */
    public String sourceDescription() {
        return sourceDescription;
    }

    /** Timestamp repairs so far by kind (see {@link TimestampRepair}); absent kinds did not occur. */
    public Map<TimestampRepair.Kind, Long> timestampRepairs() {
        Map<TimestampRepair.Kind, Long> counts = new java.util.EnumMap<>(TimestampRepair.Kind.class);
        counts.putAll(timestamps.counts());
        long guarded = (source == null ? 0 : source.guardedPackets()) + encoded.stream().mapToLong(e -> e.output.guardedPackets()).sum();
        if (guarded > 0) counts.put(TimestampRepair.Kind.MUXER_GUARD, guarded);
        return counts;
    }

    /** Source GOPs longer than 6 s: they are still cut only at their keyframes, so their segments are long. */
    public int longGopCount() {
        return longGops;
    }

    private void acceptVideo(IngestRecord record) {
        FlvTagInfo info = FlvTags.parseVideo(record.payload());
        if (!codec.fourCc().equals(info.codec())) {
            if (!warnedVideo) LOG.warn("stream {}: video codec {} is not this session's {}, dropping it", streamId, info.codec(), codec.fourCc());
            warnedVideo = true;
            return;
        }
        if (info.endOfSequence()) return;
        if (info.sequenceHeader()) {
            byte[] config = Arrays.copyOfRange(record.payload(), info.dataOffset(), record.payload().length);
            if (!Arrays.equals(config, videoConfig)) {
                LOG.warn("stream {}: {} configuration changed mid-session; the new one is ignored until the next session", streamId, codec);
            }
            return;
        }
        boolean keyframe = info.keyframe() || record.keyframe();
        if (!started && !keyframe) return; // a session starts at a keyframe
        int size = record.payload().length - info.dataOffset();
        if (size <= 0) return;
        TimestampRepair.Times times = timestamps.video(record.timestampMs(), record.timestampMs() + info.compositionTimeMs());
        long dts = times.dtsMs();
        long pts = times.ptsMs();

        if (keyframe) {
            if (started && pts - gopStartPtsMs > LONG_GOP_MS) longGops++;
            if (codec.passesThrough()) {
                if (source == null) source = newSourceOutput();
                addIfPresent(source.cutAt(pts, audioConfig));
            }
            gopStartPtsMs = pts;
            started = true;
        }
        if (lastVideoPtsMs != Long.MIN_VALUE && pts > lastVideoPtsMs) lastFrameIntervalMs = pts - lastVideoPtsMs;
        lastVideoPtsMs = Math.max(lastVideoPtsMs, pts);

        check(av_new_packet(packet, size), "allocate packet");
        try {
            packet.data().capacity(size).put(record.payload(), info.dataOffset(), size);
            packet.pts(pts).dts(dts).flags(keyframe ? AV_PKT_FLAG_KEY : 0);
            if (source != null) source.writeVideo(packet);
            decoder.decode(packet, this::onDecodedFrame);
        } finally {
            av_packet_unref(packet);
        }
    }

    private void acceptAudio(IngestRecord record) {
        FlvTagInfo info = FlvTags.parseAudio(record.payload());
        if (!"mp4a".equals(info.codec())) {
            // Re-encoding MP3/PCM to AAC is not implemented: such streams go out video-only.
            if (!warnedAudio) LOG.warn("stream {}: audio codec {} is not AAC, dropping audio", streamId, info.codec());
            warnedAudio = true;
            return;
        }
        byte[] body = record.payload();
        if (info.sequenceHeader()) {
            audioConfig = AacConfig.parse(Arrays.copyOfRange(body, info.dataOffset(), body.length)); // from the next segment on
            return;
        }
        int size = body.length - info.dataOffset();
        if (!started || size <= 0) return;
        check(av_new_packet(packet, size), "allocate packet");
        try {
            packet.data().capacity(size).put(body, info.dataOffset(), size);
            long ts = timestamps.audio(record.timestampMs(), audioConfig == null ? 0 : audioConfig.sampleRate());
            packet.pts(ts).dts(ts).flags(AV_PKT_FLAG_KEY);
            if (source != null) source.writeAudio(packet);
            for (EncodedRendition e : encoded) {
                AVPacket copy = av_packet_clone(packet); // each lane muxes its own reference, in order with its video
                if (copy == null) throw new MediaException("out of memory cloning a packet");
                e.lane.submit(() -> e.output.writeAudio(copy), () -> av_packet_free(copy));
            }
        } finally {
            av_packet_unref(packet);
        }
    }

    private void onDecodedFrame(AVFrame frame) {
        long pts = timestamps.decodedFrame(frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts());
        frame.pts(pts);
        if (!renditionsReady) {
            double fps = decoder.frameRate();
            if (fps <= 0 && heldFirstFrame == null) {
                // the stream does not say its rate (AV1 without timing info, some H.264): the next frame's time will
                heldFirstFrame = av_frame_clone(frame);
                if (heldFirstFrame == null) throw new MediaException("out of memory cloning a frame");
                return;
            }
            if (heldFirstFrame != null) releaseHeldFrame(fps > 0 ? fps : FrameRates.fromIntervalMs(pts - heldFirstFrame.pts()));
            else setUpRenditions(frame, fps);
        }
        encode(frame);
    }

    /** Sets the renditions up at the first decoded frame, {@code fps} its rate, and sends that frame on if held back. */
    private void releaseHeldFrame(double fps) {
        if (heldFirstFrame == null) return;
        try {
            setUpRenditions(heldFirstFrame, fps);
            encode(heldFirstFrame); // each lane got a reference of its own
        } finally {
            av_frame_free(heldFirstFrame);
            heldFirstFrame = null;
        }
    }

    /**
     * Scales a decoded frame (pts repaired) to every encoded rung and hands each picture to its rung's lane (every other
     * frame when decimating). Each rung scales from the next larger rung's picture, not from the source (issue 13: a
     * 1080p source's 480p and 360p are scaled from 720p and 480p, about a third less scaling work per frame than three
     * scales of the source, the way a cascaded ffmpeg filter graph would do it). On the caller's thread, so a lane never
     * waits for another.
     */
    private void encode(AVFrame frame) {
        if (encoded.isEmpty()) return;
        long pts = frame.pts();
        boolean key = (frame.flags() & FRAME_FLAG_KEY) != 0;
        if (key) framesInGop = 0;
        boolean keep = !decimate || framesInGop % 2 == 0;
        framesInGop++;
        if (!keep) return; // never a keyframe: the GOP's count starts at 0
        AacConfig audio = audioConfig; // as of this frame, for the segment it may start
        AVFrame[] pictures = new AVFrame[encoded.size()];
        try {
            AVFrame larger = frame;
            for (int i : largestFirst) {
                pictures[i] = encoded.get(i).scaler.scale(larger);
                larger = pictures[i];
            }
        } catch (RuntimeException e) {
            for (AVFrame picture : pictures) if (picture != null) av_frame_free(picture);
            throw e;
        }
        for (int i = 0; i < pictures.length; i++) {
            EncodedRendition e = encoded.get(i);
            AVFrame picture = pictures[i];
            pictures[i] = null;
            e.lane.submit(() -> encodeOnLane(e, picture, pts, key, audio), () -> av_frame_free(picture));
        }
    }

    /** Runs on the rendition's lane: cut at a source keyframe, then encode the rung's picture. */
    private void encodeOnLane(EncodedRendition e, AVFrame picture, long pts, boolean key, AacConfig audio) {
        if (key) {
            Segment done = e.output.cutAt(pts, audio);
            if (done != null) {
                e.output.takeParts().forEach(e.lane::publish); // its last part, before it
                e.lane.publish(done);
            }
        } else if (!e.output.isOpen()) {
            return; // waits for its first keyframe
        }
        e.encoder.encode(picture, key, p -> {
            if (!e.output.knowsCodecs() && (p.flags() & AV_PKT_FLAG_KEY) != 0) {
                byte[] bytes = new byte[p.size()];
                p.data().capacity(p.size()).get(bytes);
                e.output.codecs(AvcCodecs.fromAnnexB(bytes));
            }
            e.output.writeVideo(p);
        });
        e.output.takeParts().forEach(e.lane::publish);
    }

    /** Waits until every lane ran all its work, then takes everything they completed. */
    private void awaitLanes() {
        RuntimeException failure = null;
        for (EncodedRendition e : encoded) {
            try {
                e.lane.awaitIdle();
            } catch (RuntimeException ex) {
                if (failure == null) failure = ex;
            }
        }
        for (EncodedRendition e : encoded) {
            while (e.lane.hasCompleted()) e.lane.takeCompleted(joinedParts, joinedSegments);
        }
        if (failure != null) throw failure;
    }

    private RenditionOutput newSourceOutput() {
        AVCodecParameters p = avcodec_parameters_alloc();
        p.codec_type(AVMEDIA_TYPE_VIDEO).codec_id(AV_CODEC_ID_H264);
        p.extradata(FFmpegCalls.paddedCopy(videoConfig)).extradata_size(videoConfig.length);
        Rung rung = settings.ladder().rungs().stream().filter(Rung::passthrough).findFirst().orElse(Rung.source());
        return new RenditionOutput(rung, p, 0, 0, 0, AvcCodecs.fromDecoderConfigurationRecord(videoConfig), settings.partTargetMs());
    }

    private void setUpRenditions(AVFrame first, double fps) {
        renditionsReady = true;
        int width = first.width();
        int height = first.height();
        if (source != null) source.describe(width, height, fps);
        decimate = fps > settings.maxEncodedFps() + 1;
        double encodedFps = decimate ? fps / 2 : fps;
        for (Rung ladderRung : settings.ladder().rungsFor(height)) {
            if (ladderRung.passthrough() && codec.passesThrough()) continue;
            Rung rung = ladderRung.passthrough() ? Rung.encodedSource(width, height, encodedFps) : ladderRung;
            int w = rung.widthFor(width, height);
            X264Encoder encoder = new X264Encoder(w, rung.height(), encodedFps, rung.bitrateKbps(), settings.preset(),
                    settings.encoderThreadsFor(w, rung.height()));
            RenditionOutput output;
            try {
                output = new RenditionOutput(rung, encoder.parameters(), w, rung.height(), encodedFps, null, settings.partTargetMs());
            } catch (RuntimeException ex) {
                encoder.close();
                throw ex;
            }
            encoded.add(new EncodedRendition(output, encoder, new FrameScaler(w, rung.height()),
                    new EncodeLane("transcode-" + streamId + "-" + rung.name())));
        }
        largestFirst = IntStream.range(0, encoded.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> encoded.get(i).scaler.height()).reversed())
                .mapToInt(Integer::intValue).toArray();
        sourceDescription = width + "x" + height + " @ " + fps + " fps";
    }

    private void addIfPresent(Segment segment) {
        if (segment != null) pending.add(segment);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            awaitLanes();
        } catch (RuntimeException ignored) {
            // closing anyway; the failure was reported where it happened
        }
        Map<TimestampRepair.Kind, Long> repairs = timestampRepairs(); // lanes idle: their muxer counts are final
        if (!repairs.isEmpty()) LOG.info("stream {}: timestamps repaired in this session: {}", streamId, TimestampRepair.summary(repairs));
        for (EncodedRendition e : encoded) {
            e.lane.close();
            e.scaler.close();
            e.encoder.close();
            e.output.close();
        }
        encoded.clear();
        if (source != null) source.close();
        source = null;
        if (heldFirstFrame != null) av_frame_free(heldFirstFrame);
        heldFirstFrame = null;
        decoder.close();
        av_packet_free(packet);
        finished = true;
    }

    private static final class EncodedRendition {
        final RenditionOutput output;
        /** Only used by the lane while the session runs. */
        final X264Encoder encoder;
        /** Only used by the caller's thread. */
        final FrameScaler scaler;
        final EncodeLane lane;

        EncodedRendition(RenditionOutput output, X264Encoder encoder, FrameScaler scaler, EncodeLane lane) {
            this.output = output;
            this.encoder = encoder;
            this.scaler = scaler;
            this.lane = lane;
        }
    }
}
