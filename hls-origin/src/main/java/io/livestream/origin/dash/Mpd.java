package io.livestream.origin.dash;

import java.util.List;

/**
 * A dynamic (live) MPEG-DASH manifest as the origin serves it: Periods (a new one where the wall clock stopped
 * agreeing with the numbering), SegmentTemplate with {@code $Number$} and a fixed duration per Representation,
 * low-latency signalling (DASH-IF IOP v5, low-latency modes). Pure data.
 *
 * @param availabilityStartTimeMs the wall clock the Periods' starts count from
 * @param minimumUpdatePeriodSec how often a player reloads it; absent (0) once the stream ended
 * @param mediaPresentationDurationSec the whole presentation once ended, else 0
 * @param targetLatencySec ServiceDescription Latency@target and suggestedPresentationDelay
 * @param utcTimingUri where the origin's clock is read (UTCTiming, http-iso)
 */
public record Mpd(long availabilityStartTimeMs, long publishTimeMs, double minimumUpdatePeriodSec, double timeShiftBufferDepthSec,
                  double targetLatencySec, double maxSegmentDurationSec, double minBufferTimeSec, double mediaPresentationDurationSec,
                  String utcTimingUri, List<Period> periods) {
    public Mpd {
        periods = List.copyOf(periods);
    }

    /** @param startSec after the availability start time */
    public record Period(String id, double startSec, List<AdaptationSet> adaptationSets) {
        public Period {
            adaptationSets = List.copyOf(adaptationSets);
        }
    }

    /** @param contentType "video" or "audio" */
    public record AdaptationSet(int id, String contentType, String mimeType, List<Representation> representations) {
        public AdaptationSet {
            representations = List.copyOf(representations);
        }
    }

    /**
     * @param width 0 for audio
     * @param audioSamplingRate 0 for video
     */
    public record Representation(String id, String codecs, long bandwidth, int width, int height, double frameRate,
                                 long audioSamplingRate, SegmentTemplate template) {}

    /**
     * @param duration every segment's duration in {@code timescale} units
     * @param presentationTimeOffset the decode time (in {@code timescale} units) at the Period's start
     * @param availabilityTimeOffsetSec how long before its end a segment can be requested (it is then sent as it grows)
     */
    public record SegmentTemplate(long timescale, long duration, long startNumber, long presentationTimeOffset, String initialization,
                                  String media, double availabilityTimeOffsetSec) {}
}
