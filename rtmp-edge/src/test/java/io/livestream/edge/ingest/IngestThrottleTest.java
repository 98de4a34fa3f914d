package io.livestream.edge.ingest;

import static io.livestream.edge.ingest.IngestThrottle.Decision.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecord.Kind;
import org.junit.jupiter.api.Test;

class IngestThrottleTest {
    private static IngestRecord video(int size, boolean keyframe) {
        return new IngestRecord("s", "x", Kind.VIDEO, 0, 0, keyframe, false, "avc1", new byte[size]);
    }

    private static IngestRecord audio(int size) {
        return new IngestRecord("s", "x", Kind.AUDIO, 0, 0, true, false, "mp4a", new byte[size]);
    }

    @Test
    void overTheCapDropsUntilTheNextKeyframeThatFits() {
        IngestThrottle t = new IngestThrottle(1000);
        IngestRecord key = video(600, true);
        assertThat(t.admit(key)).isEqualTo(ADMIT);
        assertThat(t.admit(video(300, false))).isEqualTo(ADMIT);
        assertThat(t.admit(video(200, false))).as("900 + 200 > 1000").isEqualTo(STALL_STARTED);
        assertThat(t.admit(audio(10))).isEqualTo(DROP);
        assertThat(t.admit(video(10, false))).as("fits, but not a keyframe").isEqualTo(DROP);
        assertThat(t.admit(video(600, true))).as("keyframe that does not fit").isEqualTo(DROP);
        t.completed(key.payload().length);
        assertThat(t.inflightBytes()).isEqualTo(300);
        assertThat(t.admit(video(10, false))).isEqualTo(DROP);
        assertThat(t.admit(video(600, true))).isEqualTo(ADMIT);
        assertThat(t.admit(audio(10))).isEqualTo(ADMIT);
        assertThat(t.dropped()).isEqualTo(5);
    }

    @Test
    void sequenceHeadersAlwaysPass() {
        IngestThrottle t = new IngestThrottle(100);
        assertThat(t.admit(video(100, true))).isEqualTo(ADMIT);
        IngestRecord header = new IngestRecord("s", "x", Kind.VIDEO, 0, 0, true, true, "avc1", new byte[50]);
        assertThat(t.admit(header)).isEqualTo(ADMIT);
    }

    @Test
    void audioOnlyStreamsResumeOnAnyAudioFrame() {
        IngestThrottle t = new IngestThrottle(100);
        IngestRecord first = audio(80);
        assertThat(t.admit(first)).isEqualTo(ADMIT);
        assertThat(t.admit(audio(80))).isEqualTo(STALL_STARTED);
        t.completed(first.payload().length);
        assertThat(t.admit(audio(80))).isEqualTo(ADMIT);
    }
}
