package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LadderTest {
    @Test
    void parsesTheDefaultLadder() {
        Ladder ladder = Ladder.defaults();
        assertThat(ladder.rungs()).containsExactly(Rung.source(), Rung.encoded(720, 2800), Rung.encoded(480, 1400), Rung.encoded(360, 800));
        assertThat(ladder.toString()).isEqualTo(Ladder.DEFAULT_SPEC);
        assertThat(Ladder.parse(ladder.toString())).isEqualTo(ladder);
    }

    @Test
    void neverUpscalesButKeepsARungAtTheSourceHeight() {
        assertThat(Ladder.defaults().rungsFor(480)).extracting(Rung::name).containsExactly("source", "360p");
        assertThat(Ladder.defaults().rungsFor(720)).extracting(Rung::name).containsExactly("source", "480p", "360p");
        assertThat(Ladder.defaults().rungsFor(1080)).extracting(Rung::name).containsExactly("source", "720p", "480p", "360p");
        assertThat(Ladder.parse("480p:1400,360p:800").rungsFor(480)).extracting(Rung::name).containsExactly("480p", "360p");
        assertThat(Ladder.defaults().rungsFor(240)).extracting(Rung::name).containsExactly("source");
    }

    @ParameterizedTest
    @CsvSource({"720p", "720p:abc", "source:1", "720:2800", "721p:2800", "720p:0", "''"})
    void rejectsMalformedSpecs(String spec) {
        assertThatThrownBy(() -> Ladder.parse(spec)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "1920, 1080, 720, 1280",
            "1920, 1080, 360, 640",
            "640, 480, 360, 480",
            "1280, 720, 480, 854", // 853.3 rounds to an even width
            "720, 1280, 360, 202"  // portrait
    })
    void widthKeepsTheAspectAndIsEven(int sourceWidth, int sourceHeight, int height, int expectedWidth) {
        assertThat(Rung.encoded(height, 500).widthFor(sourceWidth, sourceHeight)).isEqualTo(expectedWidth);
    }
}
