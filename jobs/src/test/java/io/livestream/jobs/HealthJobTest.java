package io.livestream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.jobs.health.HealthThresholds;
import io.livestream.jobs.records.StreamHealth;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tier 3: the health job on a MiniCluster over the ingest records of a real ffmpeg-made FLV. */
class HealthJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir Path dir;

    @Test
    void measuresARealStream() throws Exception {
        List<IngestRecord> records = TestMedia.ingestRecords(TestMedia.generateFlv(dir, "320x240", 30, 3, 30), "cam", "s1");
        long silenceMs = 300;
        CollectingSink<StreamHealth> sink = new CollectingSink<>("health-job-test");
        // one source subtask: the list's order is the order a stream's records have in its Kafka partition
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        new HealthJob(ListSource.of("health-job-test", records,
                new IngestRecord("other", "s9", IngestRecord.Kind.DATA, 0, 0, false, false, "amf0", new byte[0]), silenceMs * 5, TypeInformation.of(IngestRecord.class)),
                sink, HealthThresholds.DEFAULTS, silenceMs).build(env);
        env.execute("health-job-test");

        List<StreamHealth> windows = sink.collected();
        assertThat(windows).hasSize(1);
        StreamHealth w = windows.get(0);
        assertThat(w.streamId()).isEqualTo("cam");
        assertThat(w.partial()).isTrue();
        assertThat(w.fps()).isBetween(28.0, 32.0);
        assertThat(w.keyframeIntervalSec()).isLessThanOrEqualTo(1.1);
        assertThat(w.droppedFrames()).isZero();
        assertThat(w.audioKbps()).isGreaterThan(0);
        assertThat(w.avDriftMs()).isBetween(-100L, 100L);
    }
}
