package io.livestream.jobs.media;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the millisecond timestamps a real publisher sends into ones FFmpeg's muxers and encoders accept: per track
 * strictly increasing DTS and PTS never before DTS, as ffmpeg does when it remuxes. One instance per stream session
 * (both tracks share its clock offset), fed in arrival order; pure and single-threaded.
 *
 * <p>Why: GStreamer's flvmux writes a buffer that arrives behind the last tag it wrote (on either pad) with that last
 * timestamp ("Got backwards dts!" ... "Created dts and pts from last mux timestamp"). A live x264enc falling behind
 * the audio, or AAC behind the video, so gives runs of equal DTS, and FFmpeg's mpegts muxer refuses a DTS that does not
 * rise with EINVAL (-22), which failed the session and restarted it at the next keyframe.
 *
 * <p>The rules, applied in this order to every packet:
 * <ol>
 *   <li><b>Clock jump.</b> A timestamp more than {@value #FORWARD_JUMP_MS} ms after the latest of the stream (either
 *       track), or more than {@value #BACKWARD_JUMP_MS} ms before the previous one of its own track, means the
 *       publisher's clock jumped or restarted: the stream is re-based (one offset added to both tracks from then on)
 *       so that this packet follows its track's previous one by the track's last frame interval. Continuity is kept:
 *       the gap or overlap is removed, not carried into the segments. (Video going back by more than a second is also
 *       what {@code TranscodeFunction} treats as a reconnect, starting a new session, before it gets here.)</li>
 *   <li><b>Video DTS not rising</b> (equal or backwards, e.g. flvmux stamping late frames with its last time): the
 *       DTS becomes the previous DTS + 1 ms (as ffmpeg's "non-monotonic DTS" fix does), and the PTS is raised to it
 *       if it is now before.</li>
 *   <li><b>PTS before DTS</b> (a negative composition time): the PTS is raised to the DTS.</li>
 *   <li><b>Audio from the sample count.</b> AAC frames are 1024 samples, so each one's DTS is the anchor (the first
 *       frame's timestamp) plus the samples before it at the stream's sample rate. Bursts, where consecutive tags carry
 *       the same (stale) millisecond, get their real spacing this way. The publisher's clock stays the reference: when
 *       a fresh timestamp (one later than every earlier one) is more than {@value #AUDIO_DRIFT_MS} ms from the sample
 *       clock, or any timestamp is that far after it (audio was dropped), the clock is re-anchored there. (When that
 *       is back in time, the few frames until the publisher's clock passes the last DTS again go out 1 ms apart: they
 *       overlap, which cannot be helped without dropping audio.) With no known sample rate, audio DTS that do not
 *       rise are nudged to the previous + 1 ms as video is.</li>
 *   <li>Decoded frames handed to the encoders keep strictly rising PTS (+1 ms when they would not).</li>
 * </ol>
 * Every repair is counted by {@link Kind}; nothing is logged per packet. Behind these rules each muxer keeps a last
 * guard of its own (counted as {@link Kind#MUXER_GUARD}), so a packet out of order never fails a session. RTMP's
 * 32-bit timestamp wrap is not handled here: the edge's {@code TimestampUnwrapper} already puts 64-bit times on
 * {@code live.ingest}.
 */
public final class TimestampRepair {
    /** More than this ahead of the stream's latest timestamp is a clock jump, not a gap. */
    public static final long FORWARD_JUMP_MS = 3_000;
    /** More than this behind the track's previous timestamp is a clock jump back (jitter and bursts stay well below). */
    public static final long BACKWARD_JUMP_MS = 1_000;
    /** The audio sample clock follows the publisher's within this; beyond it the clock is re-anchored. */
    public static final long AUDIO_DRIFT_MS = 100;
    static final int AAC_SAMPLES_PER_FRAME = 1024;

    /** What was repaired; {@link #counts()} has one counter per kind. */
    public enum Kind {
        CLOCK_JUMP("clock-jump"),
        VIDEO_DTS_NOT_RISING("video-dts-not-rising"),
        PTS_BEFORE_DTS("pts-before-dts"),
        AUDIO_BURST("audio-burst"),
        AUDIO_REANCHORED("audio-reanchored"),
        AUDIO_DTS_NOT_RISING("audio-dts-not-rising"),
        DECODED_PTS_NOT_RISING("decoded-pts-not-rising"),
        /** Counted by the transcoder, not here: packets an encoder or the source still handed the muxer out of order. */
        MUXER_GUARD("muxer-guard");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A video packet's repaired times, in ms. */
    public record Times(long dtsMs, long ptsMs) {}

    private final EnumMap<Kind, Long> counts = new EnumMap<>(Kind.class);
    private long offsetMs;
    private long streamLatestMs = Long.MIN_VALUE;
    private final Track video = new Track();
    private final Track audio = new Track();
    private long lastDecodedPtsMs = Long.MIN_VALUE;
    // the audio sample clock
    private int sampleRate;
    private long anchorMs = Long.MIN_VALUE;
    private long samplesSinceAnchor;
    private long latestAudioInMs = Long.MIN_VALUE;

    /** The publisher's DTS and PTS of a video frame (ms) to the ones to mux and decode with. */
    public Times video(long dtsMs, long ptsMs) {
        boolean ptsBeforeDts = ptsMs < dtsMs;
        long dts = rebase(video, dtsMs);
        long pts = ptsMs + offsetMs;
        if (video.lastMs != Long.MIN_VALUE && dts <= video.lastMs) {
            count(Kind.VIDEO_DTS_NOT_RISING);
            dts = video.lastMs + 1;
        }
        if (pts < dts) {
            if (ptsBeforeDts) count(Kind.PTS_BEFORE_DTS);
            pts = dts;
        }
        video.advance(dts);
        streamLatestMs = Math.max(streamLatestMs, dts);
        return new Times(dts, pts);
    }

    /**
     * The publisher's timestamp of an AAC frame (ms) to the DTS (= PTS) to mux with.
     *
     * @param sampleRate the stream's AAC sample rate, or 0 if unknown (then no sample clock)
     */
    public long audio(long timestampMs, int sampleRate) {
        long in = rebase(audio, timestampMs);
        boolean stale = latestAudioInMs != Long.MIN_VALUE && in <= latestAudioInMs;
        long out;
        if (sampleRate <= 0) {
            out = in;
            if (audio.lastMs != Long.MIN_VALUE && out <= audio.lastMs) {
                count(Kind.AUDIO_DTS_NOT_RISING);
                out = audio.lastMs + 1;
            }
        } else {
            if (sampleRate != this.sampleRate || anchorMs == Long.MIN_VALUE) {
                anchor(in, sampleRate); // first frame, after a jump, or a new AudioSpecificConfig
            } else {
                long drift = in - sampleClockMs();
                if (drift > AUDIO_DRIFT_MS || (drift < -AUDIO_DRIFT_MS && !stale)) {
                    count(Kind.AUDIO_REANCHORED);
                    anchor(in, sampleRate);
                }
            }
            if (stale) count(Kind.AUDIO_BURST);
            out = sampleClockMs();
            if (audio.lastMs != Long.MIN_VALUE && out <= audio.lastMs) out = audio.lastMs + 1; // a re-anchor back
            samplesSinceAnchor += AAC_SAMPLES_PER_FRAME;
        }
        latestAudioInMs = Math.max(latestAudioInMs, in);
        audio.advance(out);
        streamLatestMs = Math.max(streamLatestMs, out);
        return out;
    }

    /** A decoded frame's PTS (ms, already repaired on input) to the one to encode with: strictly rising. */
    public long decodedFrame(long ptsMs) {
        long pts = ptsMs;
        if (lastDecodedPtsMs != Long.MIN_VALUE && pts <= lastDecodedPtsMs) {
            count(Kind.DECODED_PTS_NOT_RISING);
            pts = lastDecodedPtsMs + 1;
        }
        lastDecodedPtsMs = pts;
        return pts;
    }

    /** Repairs so far, by kind (kinds never seen are absent). */
    public Map<Kind, Long> counts() {
        return Map.copyOf(counts);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** "audio-burst=12, video-dts-not-rising=3", or "none". */
    public String summary() {
        return summary(counts);
    }

    /** Counts by kind as "audio-burst=12, video-dts-not-rising=3" in the kinds' order, or "none". */
    public static String summary(Map<Kind, Long> counts) {
        if (counts.isEmpty()) return "none";
        return new EnumMap<>(counts).entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Applies the stream's offset and, on a clock jump, changes it so the packet follows its track's previous one. */
    private long rebase(Track track, long timestampMs) {
        long t = timestampMs + offsetMs;
        boolean forward = streamLatestMs != Long.MIN_VALUE && t > streamLatestMs + FORWARD_JUMP_MS;
        boolean backward = track.lastMs != Long.MIN_VALUE && t < track.lastMs - BACKWARD_JUMP_MS;
        if (!forward && !backward) return t;
        count(Kind.CLOCK_JUMP);
        long continued = track.lastMs != Long.MIN_VALUE ? track.lastMs + Math.max(track.intervalMs, 1) : streamLatestMs + 1;
        offsetMs += continued - t;
        if (track == audio) {
            anchorMs = Long.MIN_VALUE; // the sample clock restarts at the re-based time
            latestAudioInMs = Long.MIN_VALUE;
        }
        return continued;
    }

    private void anchor(long atMs, int rate) {
        anchorMs = atMs;
        sampleRate = rate;
        samplesSinceAnchor = 0;
    }

    private long sampleClockMs() {
        return anchorMs + (samplesSinceAnchor * 1000 + sampleRate / 2) / sampleRate;
    }

    private void count(Kind kind) {
        counts.merge(kind, 1L, Long::sum);
    }

    /** The last output DTS of a track and the last interval between two of them (to continue a re-based track). */
    private static final class Track {
        long lastMs = Long.MIN_VALUE;
        long intervalMs;

        void advance(long dtsMs) {
            if (lastMs != Long.MIN_VALUE && dtsMs - lastMs > 1) intervalMs = dtsMs - lastMs; // not a 1 ms nudge
            lastMs = dtsMs;
        }
    }
}
