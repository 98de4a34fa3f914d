package io.livestream.origin.dash;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Renders an {@link Mpd} as MPD XML (ISO/IEC 23009-1). Pure: the same model always gives the same text. */
public final class MpdWriter {
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The value of the UTCTiming element is a URL answering the time as xs:dateTime (ISO 8601). */
    public static final String UTC_TIMING_SCHEME = "urn:mpeg:dash:utc:http-iso:2014";

    public static String write(Mpd mpd) {
        StringBuilder out = new StringBuilder(2048);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\"");
        out.append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,http://dashif.org/guidelines/dash-if-low-latency\"");
        attr(out, "availabilityStartTime", dateTime(mpd.availabilityStartTimeMs()));
        attr(out, "publishTime", dateTime(mpd.publishTimeMs()));
        if (mpd.minimumUpdatePeriodSec() > 0) attr(out, "minimumUpdatePeriod", duration(mpd.minimumUpdatePeriodSec()));
        if (mpd.mediaPresentationDurationSec() > 0) attr(out, "mediaPresentationDuration", duration(mpd.mediaPresentationDurationSec()));
        attr(out, "timeShiftBufferDepth", duration(mpd.timeShiftBufferDepthSec()));
        attr(out, "suggestedPresentationDelay", duration(mpd.targetLatencySec()));
        attr(out, "maxSegmentDuration", duration(mpd.maxSegmentDurationSec()));
        attr(out, "minBufferTime", duration(mpd.minBufferTimeSec()));
        out.append(">\n");
        long targetMs = Math.round(mpd.targetLatencySec() * 1000);
        out.append("  <ServiceDescription id=\"0\">\n");
        out.append("    <Latency target=\"").append(targetMs).append("\" min=\"").append(targetMs / 2)
                .append("\" max=\"").append(targetMs * 3).append("\"/>\n");
        out.append("    <PlaybackRate min=\"0.96\" max=\"1.04\"/>\n");
        out.append("  </ServiceDescription>\n");
        for (Mpd.Period period : mpd.periods()) {
            out.append("  <Period");
            attr(out, "id", period.id());
            attr(out, "start", duration(period.startSec()));
            out.append(">\n");
            for (Mpd.AdaptationSet set : period.adaptationSets()) writeAdaptationSet(out, set);
            out.append("  </Period>\n");
        }
        out.append("  <UTCTiming schemeIdUri=\"").append(UTC_TIMING_SCHEME).append("\" value=\"").append(escape(mpd.utcTimingUri())).append("\"/>\n");
        out.append("</MPD>\n");
        return out.toString();
    }

    private static void writeAdaptationSet(StringBuilder out, Mpd.AdaptationSet set) {
        out.append("    <AdaptationSet");
        attr(out, "id", String.valueOf(set.id()));
        attr(out, "contentType", set.contentType());
        attr(out, "mimeType", set.mimeType());
        out.append(" segmentAlignment=\"true\" startWithSAP=\"1\"");
        if (set.contentType().equals("audio")) out.append(" lang=\"und\"");
        out.append(">\n");
        for (Mpd.Representation r : set.representations()) {
            out.append("      <Representation");
            attr(out, "id", r.id());
            if (r.codecs() != null && !r.codecs().isEmpty()) attr(out, "codecs", r.codecs());
            attr(out, "bandwidth", String.valueOf(r.bandwidth()));
            if (r.width() > 0 && r.height() > 0) {
                attr(out, "width", String.valueOf(r.width()));
                attr(out, "height", String.valueOf(r.height()));
            }
            if (r.frameRate() > 0) attr(out, "frameRate", frameRate(r.frameRate()));
            if (r.audioSamplingRate() > 0) attr(out, "audioSamplingRate", String.valueOf(r.audioSamplingRate()));
            out.append(">\n");
            Mpd.SegmentTemplate t = r.template();
            out.append("        <SegmentTemplate");
            attr(out, "timescale", String.valueOf(t.timescale()));
            attr(out, "duration", String.valueOf(t.duration()));
            attr(out, "startNumber", String.valueOf(t.startNumber()));
            if (t.presentationTimeOffset() > 0) attr(out, "presentationTimeOffset", String.valueOf(t.presentationTimeOffset()));
            attr(out, "initialization", t.initialization());
            attr(out, "media", t.media());
            if (t.availabilityTimeOffsetSec() > 0) {
                attr(out, "availabilityTimeOffset", decimal(t.availabilityTimeOffsetSec()));
                out.append(" availabilityTimeComplete=\"false\""); // the growing segment is sent as it is written
            }
            out.append("/>\n");
            out.append("      </Representation>\n");
        }
        out.append("    </AdaptationSet>\n");
    }

    /** FrameRateType allows an integer or a fraction, not a decimal. */
    static String frameRate(double fps) {
        long milli = Math.round(fps * 1000);
        return milli % 1000 == 0 ? String.valueOf(milli / 1000) : milli + "/1000";
    }

    /** xs:duration in seconds, to the millisecond. */
    static String duration(double seconds) {
        return "PT" + decimal(seconds) + "S";
    }

    private static String decimal(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String dateTime(long epochMs) {
        return DATE_TIME.format(Instant.ofEpochMilli(epochMs));
    }

    private static void attr(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("=\"").append(escape(value)).append('"');
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private MpdWriter() {}
}
