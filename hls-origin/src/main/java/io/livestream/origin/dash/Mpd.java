package io.livestream.origin.dash;

import java.util.List;

/**
 * A dynamic (live) MPEG-DASH manifest as the origin serves it: one Period, SegmentTemplate with {@code $Number$} and a
 * fixed duration per Representation, low-latency signalling (DASH-IF IOP v5, low-latency modes). Pure data.
 *
 * @param availabilityStartTimeMs when segment 0 started (wall clock): segment N covers
 *     {@code [N, N+1) * segmentDurationSec} after it
 * @param minimumUpdatePeriodSec how often a player reloads it; absent (0) once the stream ended
 * @param mediaPresentationDurationSec the whole presentation once ended, else 0
 * @param targetLatencySec ServiceDescription Latency@target and suggestedPresentationDelay
 * @param utcTimingUri where the origin's clock is read (UTCTiming, http-iso)
 */
public record Mpd(long availabilityStartTimeMs, long publishTimeMs, double minimumUpdatePeriodSec, double timeShiftBufferDepthSec,
                  double targetLatencySec, double maxSegmentDurationSec, double minBufferTimeSec, double mediaPresentationDurationSec,
                  String utcTimingUri, List<AdaptationSet> adaptationSets) {
    public Mpd {
        adaptationSets = List.copyOf(adaptationSets);
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
     * @param availabilityTimeOffsetSec how long before its end a segment can be requested (it is then sent as it grows)
     */
    public record SegmentTemplate(long timescale, long duration, long startNumber, String initialization, String media,
                                  double availabilityTimeOffsetSec) {}
}
