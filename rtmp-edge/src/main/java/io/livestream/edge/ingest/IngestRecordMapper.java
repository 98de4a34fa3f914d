package io.livestream.edge.ingest;

import io.livestream.common.ingest.FlvIngest;
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
        if (message instanceof RtmpMessage.Video v) {
            return FlvIngest.fromTag(streamId, sessionId, FlvTags.TAG_VIDEO, videoTime.unwrap(v.timestamp()), v.body());
        }
        if (message instanceof RtmpMessage.Audio a) {
            return FlvIngest.fromTag(streamId, sessionId, FlvTags.TAG_AUDIO, audioTime.unwrap(a.timestamp()), a.body());
        }
        if (message instanceof RtmpMessage.Data d) {
            return FlvIngest.fromTag(streamId, sessionId, FlvTags.TAG_SCRIPT, dataTime.unwrap(d.timestamp()), d.body());
        }
        return null;
    }

    /** The record that closes this publish after a clean stop, stamped with the last video (else audio) time. */
    public IngestRecord endOfSession() {
        long last = videoTime.lastUnwrapped() >= 0 ? videoTime.lastUnwrapped() : Math.max(0, audioTime.lastUnwrapped());
        return IngestRecord.endOfSession(streamId, sessionId, last);
    }
}
