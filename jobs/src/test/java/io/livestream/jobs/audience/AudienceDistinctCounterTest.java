package io.livestream.jobs.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Tier 1: exact, then the DataSketches estimate across the range; merging; the state serializer's round trip. */
class AudienceDistinctCounterTest {
    @Test
    void estimatesWithinTwoPercentFromSmallToLargeCardinalities() {
        for (int n : new int[] {0, 1, 100, 5_000, 20_000, 50_000, 200_000, 1_000_000}) {
            AudienceDistinctCounter c = new AudienceDistinctCounter();
            for (int i = 0; i < n; i++) c.add("viewer-" + i);
            assertThat((double) c.count()).as("n=%d", n).isCloseTo(n, within(Math.max(1, n * 0.02)));
        }
    }

    @Test
    void addingTheSameIdsAgainAndMergingDoNotInflate() {
        AudienceDistinctCounter a = new AudienceDistinctCounter();
        AudienceDistinctCounter b = new AudienceDistinctCounter();
        for (int i = 0; i < 60_000; i++) a.add("v" + i);
        for (int i = 30_000; i < 90_000; i++) b.add("v" + i);
        long before = a.count();
        for (int i = 0; i < 60_000; i++) a.add("v" + i);
        assertThat(a.count()).isEqualTo(before);
        a.merge(b);
        assertThat((double) a.count()).isCloseTo(90_000, within(1_800.0));
        for (int i = 90_000; i < 120_000; i++) a.add("v" + i); // the merged sketch goes on counting
        assertThat((double) a.count()).isCloseTo(120_000, within(2_400.0));
    }

    @Test
    void counterIsExactUpToTenThousandThenEstimates() {
        AudienceDistinctCounter c = new AudienceDistinctCounter();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < AudienceDistinctCounter.EXACT_LIMIT; i++) c.add("v" + i);
        }
        assertThat(c.isExact()).isTrue();
        assertThat(c.count()).isEqualTo(10_000);
        c.add("one-more");
        assertThat(c.isExact()).isFalse();
        assertThat((double) c.count()).isCloseTo(10_001, within(200.0));

        AudienceDistinctCounter small = new AudienceDistinctCounter();
        small.add("x");
        small.add("v1");
        small.merge(c);
        assertThat(small.isExact()).isFalse();
        assertThat((double) small.count()).isCloseTo(10_002, within(200.0));
    }

    @Test
    void aSketchingAccumulatorSurvivesFlinksStateSerializerAndGoesOnCounting() throws Exception {
        AudienceAccumulator acc = new AudienceAccumulator();
        for (int i = 0; i < 50_000; i++) acc.add("v" + i, i % 2 == 0 ? "720p" : "360p");
        TypeSerializer<AudienceAccumulator> serializer = TypeExtractor.getForClass(AudienceAccumulator.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
        serializer.serialize(acc, out);
        AudienceAccumulator restored = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(restored.total.isExact()).isFalse();
        assertThat(restored.total.count()).isEqualTo(acc.total.count());
        assertThat(restored.byRendition.get("720p").count()).isEqualTo(acc.byRendition.get("720p").count());
        for (int i = 50_000; i < 100_000; i++) restored.add("v" + i, "720p");
        assertThat((double) restored.total.count()).isCloseTo(100_000, within(2_000.0));
        assertThat(serializer.copy(restored).total.count()).isEqualTo(restored.total.count());
    }
}
