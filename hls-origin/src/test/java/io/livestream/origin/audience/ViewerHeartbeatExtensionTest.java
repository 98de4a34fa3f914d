package io.livestream.origin.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ViewerHeartbeatExtensionTest {
    final List<String> seen = new ArrayList<>();
    final ViewerHeartbeatExtension extension = new ViewerHeartbeatExtension(
            (stream, rendition, vsid, ip, ua) -> seen.add(stream + "|" + rendition + "|" + vsid + "|" + ip + "|" + ua));

    FullHttpRequest get(String uri) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("User-Agent", "ua");
        r.headers().set(ViewerHeartbeatExtension.CLIENT_IP_HEADER, "10.0.0.1");
        return r;
    }

    @Test
    void observesMediaPlaylistRequestsOnlyAndNeverAnswers() {
        assertThat(extension.handle(get("/live/s1/720p/index.m3u8?vsid=abc"))).isNull();
        assertThat(extension.handle(get("/api/streams/s1/360p/playlist.m3u8"))).isNull();
        FullHttpRequest proxied = get("/live/s1/source/index.m3u8");
        proxied.headers().set("X-Forwarded-For", "203.0.113.9, 10.0.0.2");
        extension.handle(proxied);
        extension.handle(get("/live/s1/master.m3u8"));
        extension.handle(get("/live/s1/720p/5.ts"));
        assertThat(seen).containsExactly("s1|720p|abc|10.0.0.1|ua", "s1|360p|null|10.0.0.1|ua", "s1|source|null|203.0.113.9|ua");
    }
}
