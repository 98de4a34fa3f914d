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

    @Test
    void dashRoutesUnderBothPrefixesAndARenditionNamedDashStaysHls() {
        assertThat(OriginRouter.route("/live/s1/manifest.mpd")).isEqualTo(new Route.DashManifest("s1"));
        assertThat(OriginRouter.route("/api/streams/s1/manifest.mpd")).isEqualTo(new Route.DashManifest("s1"));
        assertThat(OriginRouter.route("/live/s1/dash/720p/video/41.m4s")).isEqualTo(new Route.DashSegment("s1", "720p", Route.Track.VIDEO, 41));
        assertThat(OriginRouter.route("/api/streams/s1/dash/720p/audio/init-1f.mp4"))
                .isEqualTo(new Route.DashInit("s1", "720p", Route.Track.AUDIO, "1f"));
        assertThat(OriginRouter.route("/live/s1/dash/720p/text/41.m4s")).isInstanceOf(Route.NotFound.class);
        assertThat(OriginRouter.route("/live/s1/dash/720p/video/41.1.m4s")).isInstanceOf(Route.NotFound.class);
        assertThat(OriginRouter.route("/live/s1/other/720p/video/41.m4s")).isInstanceOf(Route.NotFound.class);
        assertThat(OriginRouter.route("/live/s1/dash/index.m3u8")).isEqualTo(new Route.Media("s1", "dash"));
        assertThat(OriginRouter.route("/time")).isEqualTo(new Route.Time());
    }
}
