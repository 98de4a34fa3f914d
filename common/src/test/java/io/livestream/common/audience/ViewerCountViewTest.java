package io.livestream.common.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewerCountViewTest {
    @Test
    void oneShapeWithZerosWhenTheJobHasNotWrittenYet() throws Exception {
        assertThat(Json.MAPPER.readTree(Json.toBytes(ViewerCountView.of("s1", Map.of("count", "3", "peak", "5", "updatedAt", "9",
                "byRendition", "{\"720p\":3}")))))
                .isEqualTo(Json.MAPPER.readTree("{\"streamId\":\"s1\",\"count\":3,\"peak\":5,\"updatedAt\":9,\"byRendition\":{\"720p\":3}}"));
        assertThat(Json.MAPPER.readTree(Json.toBytes(ViewerCountView.of("s1", Map.of("count", "x", "byRendition", "[")))))
                .isEqualTo(Json.MAPPER.readTree("{\"streamId\":\"s1\",\"count\":0,\"peak\":0,\"updatedAt\":0,\"byRendition\":{}}"));
    }
}
