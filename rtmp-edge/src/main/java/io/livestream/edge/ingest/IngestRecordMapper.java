package io.livestream.edge.ingest;

import io.livestream.common.flv.FlvTagInfo;
import io.livestream.common.flv.FlvTags;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.edge.message.RtmpMessage;

/**
 * Maps one publish's audio, video and onMetaData messages to ingest records: the tag body untouched (AVC, AAC and
 * Enhanced RTMP hvc1/av01 alike), codec/keyframe/sequence header/composition time read with {@link FlvTags},
 * timestamps unrolled to 64 bits per kind (audio and video interleave slightly out of order).
 */
public final class IngestRecordMapper {
    private final String streamId;
    private final String sessionId;
    private final TimestampUnwrapper audioTime = new TimestampUnwrapper();
    private final TimestampUnwrapper videoTime = new TimestampUnwrapper();
    private final TimestampUnwrapper dataTime = new TimestampUnwrapper();

    public IngestRecordMapper(String streamId, String sessionId) {
        this.streamId = streamId;
        this.sessionId = sessionId;
    }

    /** The record for this message, or null for one that carries nothing (empty body, header too short). */
    public IngestRecord map(RtmpMessage message) {
        try {
            if (message instanceof RtmpMessage.Video v) {
                if (v.body().length == 0) return null;
                FlvTagInfo info = FlvTags.parseVideo(v.body());
                return new IngestRecord(streamId, sessionId, IngestRecord.Kind.VIDEO, videoTime.unwrap(v.timestamp()),
                        info.compositionTimeMs(), info.keyframe(), info.sequenceHeader(), info.codec(), v.body());
            }
            if (message instanceof RtmpMessage.Audio a) {
                if (a.body().length == 0) return null;
                FlvTagInfo info = FlvTags.parseAudio(a.body());
                return new IngestRecord(streamId, sessionId, IngestRecord.Kind.AUDIO, audioTime.unwrap(a.timestamp()),
                        0, info.keyframe(), info.sequenceHeader(), info.codec(), a.body());
            }
            if (message instanceof RtmpMessage.Data d) {
                return new IngestRecord(streamId, sessionId, IngestRecord.Kind.DATA, dataTime.unwrap(d.timestamp()),
                        0, false, false, "amf0", d.body());
            }
        } catch (IllegalArgumentException tooShort) {
            return null;
        }
        return null;
    }
}
