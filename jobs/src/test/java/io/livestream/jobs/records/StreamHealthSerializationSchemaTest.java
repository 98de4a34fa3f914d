package io.livestream.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class StreamHealthSerializationSchemaTest {
    @Test
    void writesJsonKeyedByStreamWithEveryRequiredFieldOfTheSchema() throws Exception {
        StreamHealth health = new StreamHealth(1, "s1", "sess", 0, 5000, 1234, 240, 100, 15, 8, 12L, 0, 75, 215, false, List.of("low-fps"));
        ProducerRecord<byte[], byte[]> r = new StreamHealthSerializationSchema("live.stream-health").serialize(health, null, null);

        assertThat(r.topic()).isEqualTo("live.stream-health");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
        assertThat(r.timestamp()).isEqualTo(1234L);
        JsonNode json = Json.MAPPER.readTree(r.value());
        JsonNode schema = Json.MAPPER.readTree(Files.readAllBytes(Path.of("..", "docs", "topics", "live.stream-health.schema.json")));
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(n -> required.add(n.asText()));
        for (String field : required) assertThat(json.has(field)).as(field).isTrue();
        json.fieldNames().forEachRemaining(f -> assertThat(schema.get("properties").has(f)).as("documented: " + f).isTrue());
        assertThat(Json.fromBytes(r.value(), StreamHealth.class)).isEqualTo(health);
    }
}
