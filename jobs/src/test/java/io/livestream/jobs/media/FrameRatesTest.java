package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameRatesTest {
    @Test
    void millisecondIntervalsSnapToTheCommonRates() {
        assertThat(FrameRates.fromIntervalMs(33)).isEqualTo(30);
        assertThat(FrameRates.fromIntervalMs(34)).isEqualTo(30);
        assertThat(FrameRates.fromIntervalMs(40)).isEqualTo(25);
        assertThat(FrameRates.fromIntervalMs(42)).isEqualTo(24);
        assertThat(FrameRates.fromIntervalMs(20)).isEqualTo(50);
        assertThat(FrameRates.fromIntervalMs(16)).isEqualTo(60);
        assertThat(FrameRates.fromIntervalMs(17)).isEqualTo(60);
    }

    @Test
    void otherRatesAreKeptAndNoIntervalFallsBackToThirty() {
        assertThat(FrameRates.fromIntervalMs(66)).isEqualTo(15.15);
        assertThat(FrameRates.fromIntervalMs(100)).isEqualTo(10);
        assertThat(FrameRates.fromIntervalMs(0)).isEqualTo(30);
    }
}
