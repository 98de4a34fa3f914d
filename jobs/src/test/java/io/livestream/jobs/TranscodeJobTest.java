package io.livestream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.media.MediaRecord;
import io.livestream.jobs.media.Ladder;
import io.livestream.jobs.media.TranscodeSettings;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tier 3: the whole job on a MiniCluster, a test source of real FLV tags and a collecting sink. */
class TranscodeJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir Path dir;

    @Test
    void settingsComeFromTheArgumentsWithDefaults() {
        TranscodeSettings defaults = TranscodeJob.settingsFrom(ParameterTool.fromArgs(new String[0]));
        assertThat(defaults).isEqualTo(TranscodeSettings.defaults());
        TranscodeSettings custom = TranscodeJob.settingsFrom(ParameterTool.fromArgs(
                new String[] {"--ladder", "source,480p:1200", "--preset", "ultrafast", "--encoder-threads", "1"}));
        assertThat(custom.ladder().toString()).isEqualTo("source,480p:1200");
        assertThat(custom.preset()).isEqualTo("ultrafast");
        assertThat(custom.encoderThreads()).isEqualTo(1);
    }

    @Test
    void transcodesAStreamIntoAlignedSegmentsOfEveryRenditionAndEndsIt() throws Exception {
        List<IngestRecord> records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "320x240", 30, 3, 30), "cam", "s1");
        IngestRecord otherStream = new IngestRecord("other", "s9", IngestRecord.Kind.DATA, 0, 0, false, false, "amf0", new byte[0]);
        long idleMs = 500;
        CollectingSink<MediaRecord> sink = new CollectingSink<>("transcode-job-test");
        TranscodeJob job = new TranscodeJob(
                ListSource.of("transcode-job-test", records, otherStream, idleMs * 4, TypeInformation.of(IngestRecord.class)),
                sink, new TranscodeSettings(Ladder.parse("source,180p:200,120p:100"), "ultrafast", 1, 30), idleMs);

        job.execute();

        List<MediaRecord> out = sink.collected();
        for (String rendition : List.of("source", "180p", "120p")) {
            // the MPEG-TS records (ENDs name no container); each segment's fMP4 twin follows its init segment
            List<MediaRecord> fmp4 = out.stream().filter(m -> m.rendition().equals(rendition) && m.type() != MediaRecord.Type.PART
                    && m.container() == MediaRecord.Container.FMP4).toList();
            assertThat(fmp4).extracting(MediaRecord::type).containsExactly(MediaRecord.Type.INIT, MediaRecord.Type.SEGMENT,
                    MediaRecord.Type.INIT, MediaRecord.Type.SEGMENT, MediaRecord.Type.INIT, MediaRecord.Type.SEGMENT);
            List<MediaRecord> mine = out.stream().filter(m -> m.rendition().equals(rendition) && m.type() != MediaRecord.Type.PART
                    && m.container() == MediaRecord.Container.TS).toList();
            assertThat(mine).extracting(MediaRecord::type).containsExactly(
                    MediaRecord.Type.SEGMENT, MediaRecord.Type.SEGMENT, MediaRecord.Type.SEGMENT, MediaRecord.Type.END);
            assertThat(mine).extracting(MediaRecord::sequence).containsExactly(0L, 1L, 2L, 2L);
            assertThat(mine.subList(0, 3)).allSatisfy(m -> {
                assertThat(m.streamId()).isEqualTo("cam");
                assertThat(m.durationSec()).isBetween(0.95, 1.05);
                assertThat(m.payload().length).isGreaterThan(1000);
                assertThat(m.codecs()).startsWith("avc1.").endsWith(",mp4a.40.2");
            });
        }
    }
}
