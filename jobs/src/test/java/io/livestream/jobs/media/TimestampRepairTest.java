package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.jobs.media.TimestampRepair.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The repair rules as a table: packets in (as the publisher sent them), packets out, and what was counted. */
class TimestampRepairTest {
    private static final int RATE = 44100; // 1024 samples = 23.22 ms

    /** One packet: V dts/pts or A timestamp (pts ignored). */
    record P(char track, long dts, long pts) {
        static P v(long dts) {
            return new P('V', dts, dts);
        }

        static P v(long dts, long pts) {
            return new P('V', dts, pts);
        }

        static P a(long ts) {
            return new P('A', ts, ts);
        }

        @Override
        public String toString() {
            return track == 'V' ? "V" + dts + (pts != dts ? "/" + pts : "") : "A" + dts;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("regular video and audio pass unchanged (within the sample clock's rounding)",
                        List.of(P.v(0), P.a(0), P.v(33), P.a(23), P.a(46), P.v(67), P.a(70), P.v(100)),
                        List.of(P.v(0), P.a(0), P.v(33), P.a(23), P.a(46), P.v(67), P.a(70), P.v(100)),
                        Map.of()),
                Arguments.of("equal video DTS: nudged to previous + 1 ms, PTS follows",
                        List.of(P.v(232), P.v(256), P.v(256), P.v(325)),
                        List.of(P.v(232), P.v(256), P.v(257), P.v(325)),
                        Map.of(Kind.VIDEO_DTS_NOT_RISING, 1L)),
                Arguments.of("video DTS back by a little: each nudged until the publisher's clock passes again",
                        List.of(P.v(100), P.v(133), P.v(120), P.v(125), P.v(166)),
                        List.of(P.v(100), P.v(133), P.v(134), P.v(135), P.v(166)),
                        Map.of(Kind.VIDEO_DTS_NOT_RISING, 2L)),
                Arguments.of("negative composition time: PTS raised to DTS",
                        List.of(P.v(0, 0), P.v(33, 20), P.v(67, 67)),
                        List.of(P.v(0, 0), P.v(33, 33), P.v(67, 67)),
                        Map.of(Kind.PTS_BEFORE_DTS, 1L)),
                Arguments.of("B-frame reordering (PTS after DTS, not rising) is left alone",
                        List.of(P.v(0, 66), P.v(33, 133), P.v(66, 100), P.v(100, 200)),
                        List.of(P.v(0, 66), P.v(33, 133), P.v(66, 100), P.v(100, 200)),
                        Map.of()),
                Arguments.of("AAC burst: four tags with one millisecond get their spacing from the sample count",
                        List.of(P.a(1000), P.a(1023), P.a(1046), P.a(1046), P.a(1046), P.a(1046), P.a(1139)),
                        List.of(P.a(1000), P.a(1023), P.a(1046), P.a(1070), P.a(1093), P.a(1116), P.a(1139)),
                        Map.of(Kind.AUDIO_BURST, 3L)),
                Arguments.of("audio dropped by the publisher: the sample clock re-anchors at the later timestamp",
                        List.of(P.a(0), P.a(23), P.a(46), P.a(546), P.a(569)),
                        List.of(P.a(0), P.a(23), P.a(46), P.a(546), P.a(569)),
                        Map.of(Kind.AUDIO_REANCHORED, 1L)),
                Arguments.of("a publisher audio clock 5 % slow: followed within the drift bound by re-anchoring",
                        slowAudio(0.95, 120), slowAudioRepaired(0.95, 120),
                        Map.of(Kind.AUDIO_REANCHORED, 1L)),
                Arguments.of("clock jumps forward 10 s: re-based so the stream continues, both tracks keep their offset",
                        List.of(P.v(0), P.a(10), P.v(33), P.a(33), P.v(10_066), P.a(10_056), P.v(10_100)),
                        List.of(P.v(0), P.a(10), P.v(33), P.a(33), P.v(66), P.a(56), P.v(100)),
                        Map.of(Kind.CLOCK_JUMP, 1L)),
                Arguments.of("clock goes back 5 s (publisher restarted its clock): re-based forward, continuous",
                        List.of(P.v(5000), P.v(5033), P.v(5066), P.v(100), P.v(133)),
                        List.of(P.v(5000), P.v(5033), P.v(5066), P.v(5099), P.v(5132)),
                        Map.of(Kind.CLOCK_JUMP, 1L)),
                Arguments.of("audio starting later on the same clock is no jump",
                        List.of(P.v(0), P.v(33), P.v(66), P.v(100), P.a(90), P.v(133), P.a(113)),
                        List.of(P.v(0), P.v(33), P.v(66), P.v(100), P.a(90), P.v(133), P.a(113)),
                        Map.of()),
                Arguments.of("64-bit times past RTMP's 32-bit wrap (the edge unwraps them) pass unchanged",
                        List.of(P.v(4_294_967_290L), P.a(4_294_967_290L), P.v(4_294_967_323L), P.a(4_294_967_313L)),
                        List.of(P.v(4_294_967_290L), P.a(4_294_967_290L), P.v(4_294_967_323L), P.a(4_294_967_313L)),
                        Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void repairs(String rule, List<P> in, List<P> expected, Map<Kind, Long> counted) {
        TimestampRepair repair = new TimestampRepair();
        assertThat(apply(repair, in, RATE)).as(rule).containsExactlyElementsOf(expected);
        assertThat(repair.counts()).as(rule).isEqualTo(counted);
        assertThat(repair.total()).isEqualTo(counted.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void withoutASampleRateAudioThatDoesNotRiseIsNudged() {
        TimestampRepair repair = new TimestampRepair();
        assertThat(apply(repair, List.of(P.a(0), P.a(23), P.a(23), P.a(23), P.a(92)), 0))
                .containsExactly(P.a(0), P.a(23), P.a(24), P.a(25), P.a(92));
        assertThat(repair.counts()).isEqualTo(Map.of(Kind.AUDIO_DTS_NOT_RISING, 2L));
    }

    @Test
    void decodedFramesKeepRisingPts() {
        TimestampRepair repair = new TimestampRepair();
        assertThat(Stream.of(0L, 33L, 33L, 20L, 100L).map(repair::decodedFrame)).containsExactly(0L, 33L, 34L, 35L, 100L);
        assertThat(repair.summary()).isEqualTo("decoded-pts-not-rising=2");
        assertThat(new TimestampRepair().summary()).isEqualTo("none");
    }

    @Test
    void everyOutputRisesStrictlyPerTrackWhateverComesIn() {
        java.util.Random random = new java.util.Random(12);
        for (int run = 0; run < 200; run++) {
            TimestampRepair repair = new TimestampRepair();
            List<P> in = new ArrayList<>();
            long clock = random.nextInt(100_000);
            for (int i = 0; i < 300; i++) {
                clock += switch (random.nextInt(10)) {
                    case 0 -> 0;
                    case 1 -> -random.nextInt(3_000);
                    case 2 -> random.nextInt(20_000);
                    default -> random.nextInt(40);
                };
                in.add(random.nextBoolean() ? P.v(clock, clock + random.nextInt(200) - 50) : P.a(clock));
            }
            List<P> out = apply(repair, in, random.nextBoolean() ? RATE : 0);
            long lastVideo = Long.MIN_VALUE;
            long lastAudio = Long.MIN_VALUE;
            for (P p : out) {
                assertThat(p.pts()).as("pts >= dts in %s", out).isGreaterThanOrEqualTo(p.dts());
                if (p.track() == 'V') {
                    assertThat(p.dts()).isGreaterThan(lastVideo);
                    lastVideo = p.dts();
                } else {
                    assertThat(p.dts()).isGreaterThan(lastAudio);
                    lastAudio = p.dts();
                }
            }
        }
    }

    private static List<P> apply(TimestampRepair repair, List<P> in, int sampleRate) {
        List<P> out = new ArrayList<>();
        for (P p : in) {
            if (p.track() == 'V') {
                TimestampRepair.Times t = repair.video(p.dts(), p.pts());
                out.add(P.v(t.dtsMs(), t.ptsMs()));
            } else {
                out.add(P.a(repair.audio(p.dts(), sampleRate)));
            }
        }
        return out;
    }

    /** AAC frames stamped by a clock running at {@code speed} of the sample clock. */
    private static List<P> slowAudio(double speed, int frames) {
        List<P> list = new ArrayList<>();
        for (int i = 0; i < frames; i++) list.add(P.a(Math.round(i * 1024_000.0 / RATE * speed)));
        return list;
    }

    /**
     * The sample clock until the drift passes 100 ms (about frame 87 at 5 %), then again from the publisher's time;
     * the frames until it passes the last DTS again are squeezed 1 ms apart, as time cannot go back.
     */
    private static List<P> slowAudioRepaired(double speed, int frames) {
        List<P> list = new ArrayList<>();
        long anchor = 0;
        int anchorFrame = 0;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < frames; i++) {
            long publisher = Math.round(i * 1024_000.0 / RATE * speed);
            long clock = anchor + ((long) (i - anchorFrame) * 1024_000 + RATE / 2) / RATE;
            if (clock - publisher > TimestampRepair.AUDIO_DRIFT_MS) {
                anchor = publisher;
                anchorFrame = i;
                clock = publisher;
            }
            last = Math.max(clock, last + 1);
            list.add(P.a(last));
        }
        return list;
    }
}
