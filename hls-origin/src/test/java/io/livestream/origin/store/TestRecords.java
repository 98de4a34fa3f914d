package io.livestream.origin.store;

import io.livestream.common.media.MediaRecord;

/** Builds transcoder-like media records for tests. */
public final class TestRecords {
    public static final long T0 = 1_795_000_000_000L;

    public static MediaRecord segment(String stream, String session, String rendition, long sequence, double durationSec, int bytes) {
        return segment(stream, session, rendition, sequence, durationSec, bytes, bandwidthOf(rendition), false);
    }

    public static MediaRecord segment(String stream, String session, String rendition, long sequence, double durationSec,
                                      int bytes, long bandwidth, boolean discontinuity) {
        byte[] payload = new byte[bytes];
        for (int i = 0; i < bytes; i++) payload[i] = (byte) (sequence * 31 + i);
        int height = heightOf(rendition);
        return new MediaRecord(stream, session, rendition, MediaRecord.Type.SEGMENT, sequence, -1, durationSec,
                sequence * 2000, true, discontinuity, height > 0 ? "avc1.64001f,mp4a.40.2" : "mp4a.40.2",
                height * 16 / 9, height, height > 0 ? 30 : 0, bandwidth, T0 + sequence * 2000, payload);
    }

    /** Part {@code index} of segment {@code sequence} as the transcoder sends it (part 0 independent). */
    public static MediaRecord part(String stream, String session, String rendition, long sequence, int index, double durationSec, int bytes) {
        byte[] payload = new byte[bytes];
        for (int i = 0; i < bytes; i++) payload[i] = (byte) (sequence * 31 + index * 7 + i);
        return new MediaRecord(stream, session, rendition, MediaRecord.Type.PART, sequence, index, durationSec,
                sequence * 2000, index == 0, false, null, 0, 0, 0, 0, T0 + sequence * 2000, payload);
    }

    /** A segment of {@code parts} parts of {@code partSec} each (bytes unrelated to the parts': the store does not care). */
    public static MediaRecord segmentOfParts(String stream, String session, String rendition, long sequence, int parts, double partSec) {
        return segment(stream, session, rendition, sequence, parts * partSec, 100);
    }

    /** An fMP4 INIT as the transcoder sends it before each segment's first part; {@code variant} changes its bytes. */
    public static MediaRecord init(String stream, String session, String rendition, long sequence, int variant) {
        byte[] payload = new byte[64];
        payload[0] = (byte) variant;
        return new MediaRecord(stream, session, rendition, MediaRecord.Type.INIT, sequence, -1, 0, sequence * 2000, true, false,
                null, 0, 0, 0, 0, T0 + sequence * 2000, payload, MediaRecord.Container.FMP4);
    }

    /** The fMP4 twin of a TS record (same numbers, its own bytes). */
    public static MediaRecord fmp4(MediaRecord ts) {
        byte[] payload = ts.payload().clone();
        if (payload.length > 0) payload[0] ^= 0x55;
        return ts.in(MediaRecord.Container.FMP4, payload);
    }

    public static MediaRecord end(String stream, String session, String rendition) {
        return new MediaRecord(stream, session, rendition, MediaRecord.Type.END, 0, -1, 0, 0, false, false,
                null, 0, 0, 0, 0, 0, null);
    }

    private static int heightOf(String rendition) {
        return rendition.endsWith("p") ? Integer.parseInt(rendition.substring(0, rendition.length() - 1)) : 0;
    }

    private static long bandwidthOf(String rendition) {
        return heightOf(rendition) * 4000L + 128_000;
    }

    private TestRecords() {}
}
