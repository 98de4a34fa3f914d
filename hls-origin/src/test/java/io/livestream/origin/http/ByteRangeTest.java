package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void parsesSingleRanges() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange.Part(0, 99));
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange.Part(900, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange.Part(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange.Part(0, 999));
        assertThat(ByteRange.parse("bytes=990-5000", 1000)).isEqualTo(new ByteRange.Part(990, 999));
        assertThat(ByteRange.parse("BYTES= 5-5 ", 1000)).isEqualTo(new ByteRange.Part(5, 5));
    }

    @Test
    void unsatisfiableRanges() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=1000-2000", 1000)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=-0", 1000)).isEqualTo(new ByteRange.Unsatisfiable());
    }

    @Test
    void ignoresWhatItDoesNotServe() {
        assertThat(ByteRange.parse(null, 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("items=0-1", 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=5-1", 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=a-b", 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=-", 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=+1-2", 1000)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=99999999999999999999-", 1000)).isEqualTo(new ByteRange.Whole());
    }
}
