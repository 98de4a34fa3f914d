package io.livestream.common.flv;

/**
 * What the first bytes of an FLV audio or video tag body say about it.
 *
 * @param codec FourCC-style name: avc1, hvc1, av01, vp09 for video; mp4a, mp3, pcm, other for audio
 * @param keyframe video frame type 1 (also true for audio, where every frame stands alone)
 * @param sequenceHeader AVC/HEVC decoder configuration record, AAC AudioSpecificConfig or enhanced SequenceStart
 * @param compositionTimeMs pts - dts in ms, 0 where the format has none
 * @param dataOffset where the codec payload starts in the tag body
 * @param endOfSequence carries no frame: AVC end-of-sequence, enhanced SequenceEnd, or another enhanced packet type
 *     that is no coded frame (metadata such as colorInfo)
 */
public record FlvTagInfo(String codec, boolean keyframe, boolean sequenceHeader, int compositionTimeMs,
                         int dataOffset, boolean endOfSequence) {}
