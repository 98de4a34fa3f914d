package io.livestream.common.ingest;

import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import java.util.Arrays;
import java.util.Objects;

/**
 * One RTMP audio, video or data message as it arrived at the edge: the FLV tag body untouched
 * (so any downstream can parse it), with the facts the transcoder needs lifted into headers.
 *
 * @param timestampMs 64-bit decode timestamp in ms; RTMP's 32-bit wrap is already unrolled
 * @param compositionTimeMs pts - dts in ms (video only, 0 elsewhere)
 * @param codec FourCC-style codec name: avc1, hvc1, av01, vp09 (video), mp4a, mp3 (audio), amf0 (data)
 */
public record IngestRecord(
        String streamId,
        String sessionId,
        Kind kind,
        long timestampMs,
        int compositionTimeMs,
        boolean keyframe,
        boolean sequenceHeader,
        String codec,
        byte[] payload) {

    /**
     * AUDIO, VIDEO and DATA are FLV tags; END marks a publisher's clean stop (FCUnpublish / deleteStream): nothing of
     * its session follows, so downstream ends the session at once instead of waiting out the reconnect grace.
     */
    public enum Kind { AUDIO, VIDEO, DATA, END }

    /** The last record of a session whose publisher stopped cleanly; {@code timestampMs} is the publisher's last dts. */
    public static IngestRecord endOfSession(String streamId, String sessionId, long timestampMs) {
        return new IngestRecord(streamId, sessionId, Kind.END, timestampMs, 0, false, false, null, new byte[0]);
    }

    public boolean isEndOfSession() {
        return kind == Kind.END;
    }

    public IngestRecord {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * The codec configuration a sequence header carries (AVCDecoderConfigurationRecord, AudioSpecificConfig …),
     * without the FLV tag header in front of it.
     */
    public byte[] codecConfig() {
        FlvTagInfo info = kind == Kind.VIDEO ? FlvTags.parseVideo(payload) : FlvTags.parseAudio(payload);
        return Arrays.copyOfRange(payload, info.dataOffset(), payload.length);
    }

    public long ptsMs() {
        return timestampMs + compositionTimeMs;
    }

    @Override
    public String toString() {
        return "IngestRecord[" + streamId + " " + kind + " ts=" + timestampMs + " cts=" + compositionTimeMs
                + (keyframe ? " key" : "") + (sequenceHeader ? " seqhdr" : "") + " " + codec + " " + payload.length + "B]";
    }
}
