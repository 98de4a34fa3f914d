package io.livestream.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.cli.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OriginMainSettingsTest {
    @Test
    void composeFlagsBecomeTheOriginApiAndDvrConfig() {
        HlsOriginConfig c = OriginMain.configFrom(Flags.parse(new String[] {
                "--bootstrap", "kafka:9092", "--redis", "redis://redis:6379", "--port", "8080",
                "--public-host", "live.example.com", "--public-http-port", "80", "--rtmp-port", "1935",
                "--recordings-dir", "/data/recordings", "--chat-port", "8090", "--retention", "3d"}, Map.of()));

        assertThat(c.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.api().redisUri()).isEqualTo("redis://redis:6379");
        assertThat(c.api().publicHost()).isEqualTo("live.example.com");
        assertThat(c.api().httpPort()).isEqualTo(80);
        assertThat(c.api().rtmpPort()).isEqualTo(1935);
        assertThat(c.api().rtmpApp()).isEqualTo("live");
        assertThat(c.dvr().directory()).isEqualTo(Path.of("/data/recordings"));
        assertThat(c.dvr().retention()).isEqualTo(Duration.ofDays(3));
        assertThat(c.dvr().dvrWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(c.webChatPort()).isEqualTo(8090);
    }

    @Test
    void everyInstanceGetsItsOwnConsumerGroupUnlessOneIsGiven() {
        HlsOriginConfig a = OriginMain.configFrom(Flags.parse(new String[0], Map.of()));
        HlsOriginConfig b = OriginMain.configFrom(Flags.parse(new String[0], Map.of()));
        HlsOriginConfig named = OriginMain.configFrom(Flags.parse(new String[0], Map.of("LIVESTREAM_GROUP_ID", "origin-1")));

        assertThat(a.groupId()).startsWith("hls-origin-").isNotEqualTo(b.groupId());
        assertThat(named.groupId()).isEqualTo("origin-1");
        assertThat(a.api().httpPort()).as("public port defaults to the bound one").isEqualTo(a.http().port()).isEqualTo(8080);
    }

    @Test
    void aMistypedFlagStopsTheStart() {
        assertThatThrownBy(() -> OriginMain.configFrom(Flags.parse(new String[] {"--recording-dir", "x"}, Map.of())))
                .hasMessage("unknown flag --recording-dir");
    }
}
