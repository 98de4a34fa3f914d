package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import static io.livestream.common.media.MediaRecord.Container.FMP4;
import static io.livestream.common.media.MediaRecord.Container.TS;

import org.junit.jupiter.api.Test;

class PartRouteTest {
    @Test
    void partFilesRouteUnderBothPrefixes() {
        assertThat(OriginRouter.route("/live/s1/720p/41.2.ts")).isEqualTo(new Route.Part("s1", "720p", 41, 2, TS));
        assertThat(OriginRouter.route("/api/streams/s1/720p/41.0.ts")).isEqualTo(new Route.Part("s1", "720p", 41, 0, TS));
        assertThat(OriginRouter.route("/live/s1/720p/41.ts")).isEqualTo(new Route.Segment("s1", "720p", 41, TS));
        assertThat(OriginRouter.route("/live/s1/720p/41.x.ts")).isInstanceOf(Route.NotFound.class);
        assertThat(OriginRouter.route("/live/s1/720p/41.1234567.ts")).isInstanceOf(Route.NotFound.class);
        assertThat(OriginRouter.route("/live/s1/720p/index.m3u8?_HLS_msn=4&_HLS_part=1")).isEqualTo(new Route.Media("s1", "720p"));
    }
}
