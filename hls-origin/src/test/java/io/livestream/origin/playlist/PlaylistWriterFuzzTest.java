package io.livestream.origin.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random but well-typed playlist windows (what the segment store can hold: consecutive segments, parts no longer
 * than the part target, durations with sub-millisecond digits) always render as valid M3U8, checked line by line
 * against RFC 8216 and the LL-HLS draft by {@link #checkMedia} and {@link #checkMaster}.
 */
class PlaylistWriterFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void randomWindowsRenderAsValidPlaylists(FuzzedDataProvider data) {
        MediaPlaylist playlist = mediaPlaylist(data);
        checkMedia(PlaylistWriter.write(playlist, false), playlist, false);
        checkMedia(PlaylistWriter.write(playlist, true), playlist, true);
        checkMaster(PlaylistWriter.write(masterPlaylist(data)));
    }

    /** The checker accepts the hand-checked LL-HLS playlist of LowLatencyPlaylistWriterTest and refuses it broken. */
    @Test
    void checkerAcceptsAHandCheckedPlaylistAndRefusesABrokenOne() {
        List<MediaPart> parts42 = List.of(new MediaPart(0.333, "42.0.ts", true), new MediaPart(0.334, "42.1.ts", false));
        MediaPlaylist p = new MediaPlaylist(41, 0, List.of(
                new MediaSegment(41, 1.0, 1764057600250L, false, "41.ts"),
                new MediaSegment(42, 1.0, 1764057601250L, false, "42.ts", parts42)),
                false, new LowLatency(0.334, List.of(new MediaPart(0.333, "43.0.ts", true)), false, "43.1.ts",
                        List.of(new RenditionReport("../360p/index.m3u8", 43, 0))));
        String text = PlaylistWriter.write(p);
        checkMedia(text, p, false);
        assertThatThrownBy(() -> checkMedia(text.replace("#EXT-X-TARGETDURATION:1", "#EXT-X-TARGETDURATION:0"), p, false))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> checkMedia(text.replace("URI=\"43.0.ts\"", "URI=\"44.0.ts\""), p, false))
                .as("an open part of the wrong segment").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> checkMedia(text.replace("42.ts\n", "43.ts\n"), p, false))
                .as("a gap in the media sequence").isInstanceOf(AssertionError.class);
    }

    /** The finding: 3.4996 s is written EXTINF:3.500, which rounds to 4, so the target duration must be 4. */
    @Test
    void targetDurationCoversTheDurationAsWritten() {
        MediaPlaylist p = new MediaPlaylist(0, 0, List.of(new MediaSegment(0, 3.4996, 0, false, "0.ts")), false);
        assertThat(PlaylistWriter.write(p)).contains("#EXT-X-TARGETDURATION:4\n").contains("#EXTINF:3.500,\n");
    }

    // ---- generators

    private static MediaPlaylist mediaPlaylist(FuzzedDataProvider data) {
        long mediaSequence = data.consumeLong(0, 1L << 40);
        long discontinuitySequence = data.consumeBoolean() ? 0 : data.consumeLong(0, 1000);
        boolean lowLatency = data.consumeBoolean();
        double partTarget = data.consumeRegularDouble(0.05, 3.0);
        int count = data.consumeInt(0, 12);
        List<MediaSegment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seq = mediaSequence + i;
            boolean withParts = lowLatency && i >= count - 3; // parts stay listed for the last few segments
            segments.add(new MediaSegment(seq, duration(data), programDateTime(data), data.consumeBoolean(),
                    seq + ".ts", withParts ? parts(data, seq, partTarget) : List.of()));
        }
        boolean ended = data.consumeBoolean();
        LowLatency ll = null;
        if (lowLatency) {
            long next = mediaSequence + count;
            List<MediaPart> open = ended ? List.of() : parts(data, next, partTarget);
            List<RenditionReport> reports = new ArrayList<>();
            for (int r = data.consumeInt(0, 3); r > 0; r--) {
                reports.add(new RenditionReport("../r" + r + "/index.m3u8", data.consumeLong(0, 1L << 40), data.consumeInt(-1, 20)));
            }
            String hint = data.consumeBoolean() ? next + "." + open.size() + ".ts" : null;
            ll = new LowLatency(partTarget, open, data.consumeBoolean(), hint, reports);
        }
        return new MediaPlaylist(mediaSequence, discontinuitySequence, segments, ended, ll);
    }

    /**
     * A segment duration as the store gets it (whole microseconds), often at a boundary where rounding to the three
     * decimals of EXTINF or to the integer of EXT-X-TARGETDURATION tips over.
     */
    private static double duration(FuzzedDataProvider data) {
        long wholeSeconds = data.consumeLong(0, 11);
        long micros = data.consumeBoolean() ? data.pickValue(new long[] {0, 400, 499_499, 499_500, 499_600, 499_999, 500_000, 999_500, 999_999})
                : data.consumeLong(0, 999_999);
        return wholeSeconds + micros / 1e6;
    }

    private static List<MediaPart> parts(FuzzedDataProvider data, long seq, double partTarget) {
        List<MediaPart> parts = new ArrayList<>();
        for (int i = data.consumeInt(0, 6) - 1; i >= 0; i--) {
            parts.add(new MediaPart(data.consumeRegularDouble(0, partTarget), seq + "." + parts.size() + ".ts", data.consumeBoolean()));
        }
        return parts;
    }

    private static long programDateTime(FuzzedDataProvider data) {
        return data.consumeBoolean() ? 0 : data.consumeLong(1, 4102444800000L); // up to 2100
    }

    private static MasterPlaylist masterPlaylist(FuzzedDataProvider data) {
        List<Variant> variants = new ArrayList<>();
        for (int i = data.consumeInt(0, 6); i > 0; i--) {
            long bandwidth = data.consumeLong(1, 100_000_000);
            variants.add(new Variant("r" + i + "/index.m3u8", bandwidth, data.consumeLong(0, bandwidth), data.consumeInt(0, 8192),
                    data.consumeInt(0, 8192), data.consumeBoolean() ? 0 : data.consumeRegularDouble(1, 240),
                    data.pickValue(new String[] {"", "avc1.64001f,mp4a.40.2", "avc1.42c01e", "hvc1.1.6.L93.B0"})));
        }
        return new MasterPlaylist(variants);
    }

    // ---- the checker

    private static final Set<String> MEDIA_TAGS = Set.of("#EXTM3U", "#EXT-X-VERSION", "#EXT-X-TARGETDURATION",
            "#EXT-X-SERVER-CONTROL", "#EXT-X-PART-INF", "#EXT-X-MEDIA-SEQUENCE", "#EXT-X-DISCONTINUITY-SEQUENCE",
            "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-SKIP", "#EXT-X-DISCONTINUITY", "#EXT-X-PROGRAM-DATE-TIME", "#EXT-X-PART",
            "#EXTINF", "#EXT-X-PRELOAD-HINT", "#EXT-X-RENDITION-REPORT", "#EXT-X-ENDLIST");
    private static final Set<String> HEADER_TAGS = Set.of("#EXTM3U", "#EXT-X-VERSION", "#EXT-X-TARGETDURATION",
            "#EXT-X-SERVER-CONTROL", "#EXT-X-PART-INF", "#EXT-X-MEDIA-SEQUENCE", "#EXT-X-DISCONTINUITY-SEQUENCE",
            "#EXT-X-INDEPENDENT-SEGMENTS");
    private static final Pattern SEGMENT_URI = Pattern.compile("(\\d+)\\.ts");
    private static final Pattern PART = Pattern.compile("DURATION=(\\d+\\.\\d{3}),URI=\"(\\d+)\\.(\\d+)\\.ts\"(,INDEPENDENT=YES)?");
    private static final Pattern DECIMAL = Pattern.compile("\\d+\\.\\d{3}");
    /** Two three-decimal figures (PART-TARGET, PART-HOLD-BACK) may each be 0.0005 off the exact values. */
    private static final double ROUNDING = 3 * 0.0005 + 0.0005 + 1e-9;

    static void checkMedia(String text, MediaPlaylist model, boolean deltaUpdate) {
        assertThat(text).startsWith("#EXTM3U\n").endsWith("\n").doesNotContain("\n\n").doesNotContain("\r");
        String[] lines = text.split("\n");
        Map<String, String> header = new java.util.HashMap<>();
        int targetDuration = -1;
        long mediaSequence = -1;
        long skipped = 0;
        double partTarget = -1;
        boolean segmentsStarted = false;
        Long expectedSeq = null;
        String pendingExtinf = null;
        List<long[]> pendingParts = new ArrayList<>(); // {msn, index} of parts not yet followed by their segment
        boolean preloadHint = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            Line at = new Line(n, line, text);
            if (!line.startsWith("#")) {
                Matcher uri = SEGMENT_URI.matcher(line);
                at.require(uri.matches(), "a segment URI");
                at.require(pendingExtinf != null, "EXTINF before the URI");
                long seq = Long.parseLong(uri.group(1));
                if (expectedSeq == null) expectedSeq = mediaSequence + skipped;
                at.require(seq == expectedSeq, "consecutive from the media sequence (after the skipped ones)");
                for (int i = 0; i < pendingParts.size(); i++) {
                    at.require(pendingParts.get(i)[0] == seq, "parts precede their own segment");
                    at.require(pendingParts.get(i)[1] == i, "parts numbered from 0");
                }
                pendingParts.clear();
                pendingExtinf = null;
                expectedSeq = seq + 1;
                continue;
            }
            int colon = line.indexOf(':');
            String tag = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            at.require(MEDIA_TAGS.contains(tag), "a known tag");
            at.require(pendingExtinf == null, "nothing between EXTINF and its URI");
            if (HEADER_TAGS.contains(tag)) {
                at.require(!segmentsStarted, "header tags before the segments");
                at.require(header.put(tag, value) == null, "a header tag only once");
            } else {
                segmentsStarted = true;
            }
            switch (tag) {
                case "#EXT-X-TARGETDURATION" -> targetDuration = Integer.parseInt(value);
                case "#EXT-X-MEDIA-SEQUENCE" -> mediaSequence = Long.parseLong(value);
                case "#EXT-X-DISCONTINUITY-SEQUENCE" -> at.require(Long.parseLong(value) > 0, "DISCONTINUITY-SEQUENCE only when positive");
                case "#EXT-X-PART-INF" -> {
                    at.require(value.startsWith("PART-TARGET="), "PART-INF:PART-TARGET=");
                    partTarget = Double.parseDouble(value.substring("PART-TARGET=".length()));
                    at.require(partTarget > 0, "a positive PART-TARGET");
                }
                case "#EXT-X-SKIP" -> {
                    at.require(deltaUpdate, "EXT-X-SKIP only in a delta update");
                    at.require(expectedSeq == null, "EXT-X-SKIP before the first segment");
                    skipped = Long.parseLong(value.substring("SKIPPED-SEGMENTS=".length()));
                    at.require(skipped > 0, "a positive SKIPPED-SEGMENTS");
                }
                case "#EXT-X-PROGRAM-DATE-TIME" -> OffsetDateTime.parse(value);
                case "#EXTINF" -> {
                    at.require(value.endsWith(","), "EXTINF:<duration>,");
                    String seconds = value.substring(0, value.length() - 1);
                    at.require(DECIMAL.matcher(seconds).matches(), "a decimal duration");
                    at.require(Math.round(Double.parseDouble(seconds)) <= targetDuration,
                            "EXTINF rounded to an integer is at most EXT-X-TARGETDURATION " + targetDuration + " (RFC 8216 4.3.3.1)");
                    pendingExtinf = seconds;
                }
                case "#EXT-X-PART" -> {
                    Matcher p = PART.matcher(value);
                    at.require(p.matches(), "EXT-X-PART:DURATION=..,URI=\"{msn}.{part}.ts\"[,INDEPENDENT=YES]");
                    at.require(partTarget > 0, "PART-INF before any part");
                    at.require(Double.parseDouble(p.group(1)) <= partTarget, "no part longer than PART-TARGET");
                    pendingParts.add(new long[] {Long.parseLong(p.group(2)), Long.parseLong(p.group(3))});
                }
                case "#EXT-X-PRELOAD-HINT" -> preloadHint = true;
                case "#EXT-X-ENDLIST" -> at.require(n == lines.length - 1, "ENDLIST is the last line");
                default -> { }
            }
        }
        assertThat(pendingExtinf).as("the last EXTINF has its URI").isNull();
        long nextSeq = expectedSeq == null ? mediaSequence + skipped : expectedSeq;
        for (int i = 0; i < pendingParts.size(); i++) {
            assertThat(pendingParts.get(i)).as("open parts belong to the next segment, numbered from 0:\n%s", text)
                    .containsExactly(nextSeq, i);
        }

        assertThat(targetDuration).as("EXT-X-TARGETDURATION present and positive").isPositive();
        assertThat(mediaSequence).as("EXT-X-MEDIA-SEQUENCE").isEqualTo(model.mediaSequence());
        assertThat(header.get("#EXT-X-VERSION")).isEqualTo(skipped > 0 ? "9" : "6");
        assertThat(nextSeq - model.mediaSequence()).as("every segment accounted for").isEqualTo(model.segments().size());
        boolean ended = text.endsWith("#EXT-X-ENDLIST\n");
        assertThat(ended).isEqualTo(model.ended());
        if (ended) assertThat(preloadHint).as("an ended playlist hints nothing").isFalse();
        if (model.lowLatency() == null) {
            assertThat(text).doesNotContain("#EXT-X-PART", "#EXT-X-SERVER-CONTROL", "#EXT-X-PRELOAD-HINT", "#EXT-X-SKIP", "#EXT-X-RENDITION-REPORT");
            return;
        }
        String control = header.get("#EXT-X-SERVER-CONTROL");
        Matcher c = SERVER_CONTROL.matcher(String.valueOf(control));
        assertThat(c.matches()).as("EXT-X-SERVER-CONTROL: %s", control).isTrue();
        double partHoldBack = Double.parseDouble(c.group(1));
        assertThat(partTarget).as("EXT-X-PART-INF present").isPositive();
        assertThat(partHoldBack).as("PART-HOLD-BACK at least twice PART-TARGET (the draft's MUST)").isGreaterThanOrEqualTo(2 * partTarget);
        assertThat(partHoldBack).as("PART-HOLD-BACK three PART-TARGETs (Apple's advice), up to rounding")
                .isGreaterThanOrEqualTo(3 * partTarget - ROUNDING);
        assertThat(Double.parseDouble(c.group(2))).as("CAN-SKIP-UNTIL at least six target durations")
                .isGreaterThanOrEqualTo(6.0 * targetDuration);
    }

    /** One line under check; the message, with the whole playlist, is built only when a rule is broken. */
    private record Line(int index, String line, String text) {
        void require(boolean ok, String rule) {
            if (!ok) throw new AssertionError(rule + ": line " + (index + 1) + " '" + line + "' of\n" + text);
        }
    }

    private static final Pattern SERVER_CONTROL =
            Pattern.compile("CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=(\\d+\\.\\d{3}),CAN-SKIP-UNTIL=(\\d+\\.\\d{3})");
    private static final Pattern STREAM_INF = Pattern.compile("#EXT-X-STREAM-INF:BANDWIDTH=(\\d+)(,AVERAGE-BANDWIDTH=\\d+)?"
            + "(,RESOLUTION=\\d+x\\d+)?(,FRAME-RATE=\\d+\\.\\d{3})?(,CODECS=\"[^\"]+\")?");

    static void checkMaster(String text) {
        assertThat(text).startsWith("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n").endsWith("\n").doesNotContain("\n\n");
        String[] lines = text.split("\n");
        long previousBandwidth = Long.MAX_VALUE;
        assertThat((lines.length - 3) % 2).as("STREAM-INF and URI pairs:\n%s", text).isZero();
        for (int n = 3; n < lines.length; n += 2) {
            Matcher m = STREAM_INF.matcher(lines[n]);
            assertThat(m.matches()).as("%s", lines[n]).isTrue();
            long bandwidth = Long.parseLong(m.group(1));
            assertThat(bandwidth).as("highest bandwidth first").isLessThanOrEqualTo(previousBandwidth);
            previousBandwidth = bandwidth;
            assertThat(lines[n + 1]).matches("r\\d+/index\\.m3u8");
        }
    }
}
