package io.livestream.common.ingest;

import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;

/** Turns one FLV tag (an RTMP audio, video or data message) into the {@link IngestRecord} that carries it. */
public final class FlvIngest {
    /**
     * @param tagType {@link FlvTags#TAG_AUDIO}, {@link FlvTags#TAG_VIDEO} or {@link FlvTags#TAG_SCRIPT}
     * @param timestampMs the tag's timestamp, already unrolled to 64 bits
     * @return the record, or null for a tag that carries nothing (empty body, header too short, unknown type)
     */
    public static IngestRecord fromTag(String streamId, String sessionId, int tagType, long timestampMs, byte[] body) {
        try {
            switch (tagType) {
                case FlvTags.TAG_VIDEO -> {
                    if (body.length == 0) return null;
                    FlvTagInfo info = FlvTags.parseVideo(body);
                    return new IngestRecord(streamId, sessionId, IngestRecord.Kind.VIDEO, timestampMs,
                            info.compositionTimeMs(), info.keyframe(), info.sequenceHeader(), info.codec(), body);
                }
                case FlvTags.TAG_AUDIO -> {
                    if (body.length == 0) return null;
                    FlvTagInfo info = FlvTags.parseAudio(body);
                    return new IngestRecord(streamId, sessionId, IngestRecord.Kind.AUDIO, timestampMs,
                            0, info.keyframe(), info.sequenceHeader(), info.codec(), body);
                }
                case FlvTags.TAG_SCRIPT -> {
                    return new IngestRecord(streamId, sessionId, IngestRecord.Kind.DATA, timestampMs, 0, false, false, "amf0", body);
                }
                default -> {
                    return null;
                }
            }
        } catch (IllegalArgumentException tooShort) {
            return null;
        }
    }

    private FlvIngest() {}
}
