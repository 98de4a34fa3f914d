package io.livestream.origin.dash;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.playlist.LowLatency;
import io.livestream.origin.playlist.MediaPlaylist;
import io.livestream.origin.playlist.MediaSegment;
import io.livestream.origin.store.RenditionInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The MPD of a ladder: what a low-latency DASH player needs, checked on the parsed XML. */
class MpdWriterTest {
    static final long T0 = 1_795_000_000_000L;
    static final Fmp4Tracks.Track VIDEO = new Fmp4Tracks.Track(1, "vide", 90_000, new byte[0]);
    static final Fmp4Tracks.Track AUDIO = new Fmp4Tracks.Track(2, "soun", 48_000, new byte[0]);

    @Test
    void aLiveLadderIsOneVideoSetOfEveryRungAndOneAudioSetWithLowLatencyTemplates() throws Exception {
        DashTimeline timeline = new DashTimeline(T0, 1.0);
        Document mpd = parse(MpdWriter.write(MpdBuilder.build(List.of(rendition("720p", 720, false), rendition("360p", 360, false)),
                DashPeriods.of(timeline), T0 + 10_000, "/time")));
        Element root = mpd.getDocumentElement();
        assertThat(root.getAttribute("type")).isEqualTo("dynamic");
        assertThat(root.getAttribute("availabilityStartTime")).isEqualTo("2026-11-18T11:06:40.000Z");
        assertThat(root.getAttribute("publishTime")).isEqualTo("2026-11-18T11:06:50.000Z");
        assertThat(root.getAttribute("minimumUpdatePeriod")).isEqualTo("PT1S");
        assertThat(root.getAttribute("timeShiftBufferDepth")).isEqualTo("PT5S");
        assertThat(root.getAttribute("maxSegmentDuration")).isEqualTo("PT1.2S");
        assertThat(root.hasAttribute("mediaPresentationDuration")).isFalse();
        Element latency = (Element) mpd.getElementsByTagName("Latency").item(0);
        assertThat(Double.parseDouble(latency.getAttribute("target"))).as("three parts and a second").isEqualTo(1750);
        List<Element> sets = elements(mpd, "AdaptationSet");
        assertThat(sets).extracting(s -> s.getAttribute("contentType")).containsExactly("video", "audio");
        assertThat(elements(sets.get(0), "Representation")).extracting(r -> r.getAttribute("id") + " " + r.getAttribute("codecs")
                + " " + r.getAttribute("height")).containsExactly("720p avc1.64001f 720", "360p avc1.64001f 360");
        assertThat(elements(sets.get(1), "Representation")).singleElement()
                .satisfies(r -> assertThat(r.getAttribute("codecs")).isEqualTo("mp4a.40.2"))
                .satisfies(r -> assertThat(r.getAttribute("audioSamplingRate")).isEqualTo("48000"));
        List<Element> templates = elements(mpd, "SegmentTemplate");
        assertThat(templates).hasSize(3);
        Element video720 = templates.get(0);
        assertThat(video720.getAttribute("timescale")).isEqualTo("90000");
        assertThat(video720.getAttribute("duration")).isEqualTo("90000");
        assertThat(video720.getAttribute("startNumber")).isEqualTo("0");
        assertThat(video720.getAttribute("initialization")).isEqualTo("dash/720p/video/init-abc.mp4");
        assertThat(video720.getAttribute("media")).isEqualTo("dash/720p/video/$Number$.m4s");
        assertThat(video720.getAttribute("availabilityTimeOffset")).as("a segment less its first part").isEqualTo("0.75");
        assertThat(video720.getAttribute("availabilityTimeComplete")).isEqualTo("false");
        assertThat(templates.get(2).getAttribute("duration")).isEqualTo("48000");
        assertThat(templates.get(2).getAttribute("media")).isEqualTo("dash/720p/audio/$Number$.m4s");
        Element utc = (Element) mpd.getElementsByTagName("UTCTiming").item(0);
        assertThat(utc.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:http-iso:2014");
        assertThat(utc.getAttribute("value")).isEqualTo("/time");
    }

    @Test
    void anEndedStreamStopsUpdatesAndStatesItsDuration() throws Exception {
        Document mpd = parse(MpdWriter.write(MpdBuilder.build(List.of(rendition("720p", 720, true)), DashPeriods.of(new DashTimeline(T0, 1.0)),
                T0, "/time")));
        assertThat(mpd.getDocumentElement().hasAttribute("minimumUpdatePeriod")).isFalse();
        assertThat(mpd.getDocumentElement().getAttribute("mediaPresentationDuration")).as("segments 0 to 14").isEqualTo("PT15S");
    }

    @Test
    void aSecondPeriodStartsWhereItsSegmentsWallClockSaysWithItsFirstNumberAndDecodeTime() throws Exception {
        DashPeriods periods = new DashPeriods(T0, List.of(new DashPeriods.Period(0, 0, new DashTimeline(T0, 1.0)),
                new DashPeriods.Period(13, 13 + 20.5, new DashTimeline(T0 + 20_500, 1.0))));
        Document mpd = parse(MpdWriter.write(MpdBuilder.build(List.of(rendition("720p", 720, false)), periods, T0 + 40_000, "/time")));
        assertThat(mpd.getDocumentElement().getAttribute("availabilityStartTime")).as("unchanged").isEqualTo("2026-11-18T11:06:40.000Z");
        List<Element> list = elements(mpd, "Period");
        assertThat(list).extracting(p -> p.getAttribute("id") + " " + p.getAttribute("start")).containsExactly("p0 PT0S", "p13 PT33.5S");
        Element second = elements(list.get(1), "SegmentTemplate").get(0);
        assertThat(second.getAttribute("startNumber")).isEqualTo("13");
        assertThat(second.getAttribute("presentationTimeOffset")).isEqualTo(String.valueOf(13 * 90_000));
        assertThat(elements(list.get(0), "SegmentTemplate").get(0).hasAttribute("presentationTimeOffset")).isFalse();
    }

    @Test
    void frameRatesAreIntegersOrFractionsAndDurationsAreToTheMillisecond() {
        assertThat(MpdWriter.frameRate(30)).isEqualTo("30");
        assertThat(MpdWriter.frameRate(29.97)).isEqualTo("29970/1000");
        assertThat(MpdWriter.duration(1.0)).isEqualTo("PT1S");
        assertThat(MpdWriter.duration(0.6667)).isEqualTo("PT0.667S");
        assertThat(MpdBuilder.codecs("avc1.64001f,mp4a.40.2", true)).isEqualTo("mp4a.40.2");
        assertThat(MpdBuilder.codecs("avc1.64001f,mp4a.40.2", false)).isEqualTo("avc1.64001f");
        assertThat(MpdBuilder.codecs("mp4a.40.2", false)).isNull();
    }

    /** Segments 10 to 14 (one of 1.2 s), parts of 0.25 s. */
    private static MpdBuilder.Rendition rendition(String name, int height, boolean ended) {
        List<MediaSegment> segments = new ArrayList<>();
        for (long n = 10; n < 15; n++) {
            segments.add(new MediaSegment(n, n == 12 ? 1.2 : 0.95, T0 + n * 1000, false, n + ".m4s", List.of(), "init-abc.mp4", false));
        }
        LowLatency ll = new LowLatency(0.25, List.of(), false, null, List.of(), "init-abc.mp4");
        RenditionInfo info = new RenditionInfo(name, height * 4000L, height * 3000L, height * 16 / 9, height, 30, "avc1.64001f,mp4a.40.2", ended, 0);
        return new MpdBuilder.Rendition(info, new MediaPlaylist(10, 0, segments, ended, ll), id -> id.equals("abc") ? List.of(VIDEO, AUDIO) : null);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Object parent, String name) {
        org.w3c.dom.NodeList nodes = parent instanceof Document d ? d.getElementsByTagName(name) : ((Element) parent).getElementsByTagName(name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }
}
