package io.livestream.common.flv;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livestream.common.ingest.IngestRecord;
import java.util.Arrays;

/**
 * Any tag body, legacy or Enhanced RTMP, parses to a header that lies inside the body, or is refused with
 * IllegalArgumentException because it is shorter than the header it claims. Input: the FLV tag type, then the body.
 */
class FlvTagsFuzzTest {
    /** The longest header FlvTags reads: Enhanced RTMP CodedFrames with a composition time. */
    private static final int LONGEST_HEADER = 8;

    @FuzzTest(maxDuration = "3s")
    void everyBodyParsesWithinItselfOrIsRefusedAsTooShort(byte[] input) {
        if (input.length == 0) return;
        boolean audio = input[0] == FlvTags.TAG_AUDIO;
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        FlvTagInfo info;
        try {
            info = audio ? FlvTags.parseAudio(body) : FlvTags.parseVideo(body);
        } catch (IllegalArgumentException e) {
            assertThat(body.length).as("refused only for a body shorter than a header").isLessThan(LONGEST_HEADER);
            return;
        }
        assertThat(info.codec()).isNotEmpty(); // an Enhanced RTMP FourCC may be any four bytes
        assertThat(info.dataOffset()).as("payload starts inside the body").isBetween(1, body.length);
        assertThat(info.compositionTimeMs()).as("a signed 24-bit field").isBetween(-(1 << 23), (1 << 23) - 1);
        assertThat(info.sequenceHeader() && info.endOfSequence()).as("a sequence header does not also end it").isFalse();
        if (audio) assertThat(info.keyframe()).as("every audio frame stands alone").isTrue();
        if (info.sequenceHeader()) {
            IngestRecord record = new IngestRecord("s", "x", audio ? IngestRecord.Kind.AUDIO : IngestRecord.Kind.VIDEO,
                    0, 0, info.keyframe(), true, info.codec(), body);
            assertThat(record.codecConfig()).hasSize(body.length - info.dataOffset());
        }
    }
}
