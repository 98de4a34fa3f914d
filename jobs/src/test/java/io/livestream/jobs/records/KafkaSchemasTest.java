package io.livestream.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.media.MediaRecord;
import io.livestream.common.media.MediaRecordCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaSchemasTest {
    @Test
    void ingestRecordsComeBackAsTheEdgeWroteThem() throws Exception {
        IngestRecord sent = new IngestRecord("cam", "s1", IngestRecord.Kind.VIDEO, 4_294_967_396L, 40, true, false, "avc1", new byte[] {0x17, 1, 0, 0, 40, 9});
        ProducerRecord<byte[], byte[]> p = IngestRecordCodec.toProducerRecord(sent);
        ConsumerRecord<byte[], byte[]> c = new ConsumerRecord<>(p.topic(), 0, 7, 0, TimestampType.CREATE_TIME, 0, 0,
                p.key(), p.value(), p.headers(), Optional.empty());
        List<IngestRecord> out = new ArrayList<>();
        new IngestRecordDeserializationSchema().deserialize(c, collector(out));
        assertThat(out).singleElement().usingRecursiveComparison().isEqualTo(sent);
    }

    @Test
    void mediaRecordsGoToTheConfiguredTopicKeyedByStream() {
        MediaRecord m = new MediaRecord("cam", "s1", "720p", MediaRecord.Type.SEGMENT, 12, -1, 2.0, 24_000, true, true,
                "avc1.64001f,mp4a.40.2", 1280, 720, 30, 3_000_000, 1_700_000_000_000L, new byte[] {0x47});
        ProducerRecord<byte[], byte[]> p = new MediaRecordSerializationSchema("media-test").serialize(m, null, 5L);
        assertThat(p.topic()).isEqualTo("media-test");
        assertThat(new String(p.key())).isEqualTo("cam");
        assertThat(p.timestamp()).isEqualTo(5L);
        assertThat(MediaRecordCodec.fromParts(p.key(), p.value(), p.headers())).usingRecursiveComparison().isEqualTo(m);
    }

    private static <T> Collector<T> collector(List<T> list) {
        return new Collector<>() {
            @Override public void collect(T record) { list.add(record); }
            @Override public void close() { }
        };
    }
}
