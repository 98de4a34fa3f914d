package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native session fed access units the edge accepted but that are corrupt: bit flips and truncations in the
 * H.264 and AAC payloads of four GOPs in the middle of a stream (the FLV tag headers left intact, as the edge checks
 * those). Nothing may escape but the transcoder's own refusals (MediaException, IllegalArgumentException), which the
 * transcode operator answers by restarting the session at the next keyframe, as this test does; the JVM survives
 * (FFmpeg's decoder conceals what it can), and the clean GOPs after the damage come out as segments of every
 * rendition that ffprobe reads.
 */
class StreamTranscoderHostileMediaTest {
    private static final TranscodeSettings SETTINGS = new TranscodeSettings(Ladder.parse("source,240p:400"), "ultrafast", 1, 30);
    private static final long DAMAGE_FROM_MS = 2_000;
    private static final long DAMAGE_UNTIL_MS = 6_000;
    private static final long SECONDS = 9;

    @TempDir static Path dir;
    static List<IngestRecord> clean;

    @BeforeAll
    static void source() throws Exception {
        clean = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "640x360", 30, SECONDS, 30), "s1", "sess1"); // a 1 s GOP
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void corruptAccessUnitsAtWorstRestartTheSessionAtTheNextKeyframe(long seed) throws Exception {
        List<IngestRecord> damaged = damage(clean, new Random(seed));
        List<Segment> segments = new ArrayList<>();
        byte[] avc = codecConfig(IngestRecord.Kind.VIDEO);
        byte[] aac = codecConfig(IngestRecord.Kind.AUDIO);
        StreamTranscoder transcoder = null;
        int restarts = 0;
        for (IngestRecord r : damaged) {
            try {
                if (transcoder == null) {
                    if (r.kind() != IngestRecord.Kind.VIDEO || !r.keyframe() || r.sequenceHeader()) continue; // wait for a keyframe
                    transcoder = new StreamTranscoder("s1", SETTINGS, avc, aac);
                    restarts++;
                }
                segments.addAll(transcoder.accept(r));
                transcoder.takeParts();
            } catch (MediaException failed) {
                transcoder.close(); // what TranscodeFunction does: drop the session, the next keyframe starts one
                transcoder = null;
            } catch (IllegalArgumentException malformed) {
                // one record dropped, as TranscodeFunction drops it
            }
        }
        if (transcoder != null) {
            segments.addAll(transcoder.finish());
            transcoder.close();
        }

        assertThat(restarts).as("sessions started").isBetween(1, 6);
        for (String rendition : List.of("source", "240p")) {
            List<Long> starts = segments.stream().filter(s -> s.rendition().equals(rendition)).map(Segment::startPtsMs).toList();
            assertThat(starts).as("%s before the damage", rendition).anyMatch(t -> t < DAMAGE_FROM_MS);
            assertThat(starts.stream().filter(t -> t >= DAMAGE_UNTIL_MS).count()).as("%s: the clean GOPs after the damage", rendition)
                    .isGreaterThanOrEqualTo(2); // GOPs at 6, 7 and 8 s: the last may end with the input
            Segment last = segments.stream().filter(s -> s.rendition().equals(rendition)).reduce((a, b) -> b).orElseThrow();
            Path file = Files.write(dir.resolve("hostile-" + seed + "-" + rendition + ".ts"), last.payload());
            assertThat(TestMedia.ffprobe(file, "-show_streams").path("streams").size()).as("ffprobe reads the last %s segment", rendition)
                    .isGreaterThanOrEqualTo(1);
        }
    }

    private static byte[] codecConfig(IngestRecord.Kind kind) {
        return clean.stream().filter(r -> r.sequenceHeader() && r.kind() == kind).findFirst().orElseThrow().codecConfig();
    }

    /**
     * Inside the damage window: every media record gets bit flips (about one per 64 bytes) after its FLV header,
     * every fourth is also truncated, and one in twenty has its first NAL length set to claim 2 GiB.
     */
    static List<IngestRecord> damage(List<IngestRecord> records, Random random) {
        List<IngestRecord> out = new ArrayList<>();
        for (IngestRecord r : records) {
            boolean media = r.kind() == IngestRecord.Kind.VIDEO || r.kind() == IngestRecord.Kind.AUDIO;
            if (!media || r.sequenceHeader() || r.timestampMs() < DAMAGE_FROM_MS || r.timestampMs() >= DAMAGE_UNTIL_MS) {
                out.add(r);
                continue;
            }
            int header = r.kind() == IngestRecord.Kind.VIDEO ? 5 : 2; // AVC: type, packet type, composition time; AAC: 2
            byte[] payload = r.payload().clone();
            if (payload.length <= header) {
                out.add(r);
                continue;
            }
            for (int i = 0; i < Math.max(1, (payload.length - header) / 64); i++) {
                int at = header + random.nextInt(payload.length - header);
                payload[at] ^= (byte) (1 << random.nextInt(8));
            }
            if (random.nextInt(4) == 0) payload = Arrays.copyOf(payload, header + random.nextInt(payload.length - header));
            if (r.kind() == IngestRecord.Kind.VIDEO && payload.length >= header + 4 && random.nextInt(20) == 0) {
                payload[header] = 0x7f;
                payload[header + 1] = (byte) 0xff;
                payload[header + 2] = (byte) 0xff;
                payload[header + 3] = (byte) 0xff;
            }
            out.add(new IngestRecord(r.streamId(), r.sessionId(), r.kind(), r.timestampMs(), r.compositionTimeMs(), r.keyframe(),
                    r.sequenceHeader(), r.codec(), payload));
        }
        return out;
    }
}
